// Package record decodes a game-record body (the response of miHoYo's
// Genshin Impact "index" API) into the normalised Record that every card style
// renders.
//
// Decode checks the type of every field it reads and names the exact path of
// the first wrong one, clamps absurd values, de-duplicates and sorts the
// lists, folds sub-regions into their parent and attaches labels in the
// request language. Decoding never fetches anything: Images hands the image
// references to the asset pipeline, which fills them in place.
package record
