// Package config reads the service settings from command-line flags and
// IGS_* environment variables and checks them all at once.
//
// A flag given on the command line wins over its environment variable, which
// wins over the default. Every invalid value is reported together, each
// naming the variable, the expected form and the value.
package config
