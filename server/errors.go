package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/renderer"
	"github.com/igs-dev/igs/storage"
	"github.com/igs-dev/igs/styles"
)

// Retcodes of the original service.
const (
	RetOK           = 0 // the card was generated
	RetBadInput     = 1 // bad body or parameter
	RetRenderFailed = 2 // render or save failed
	RetUnknownStyle = 3 // no such style
	RetNotFound     = 4 // no such image
)

// Errors of the request path that other packages do not define.
var (
	ErrBodyTooLarge = errors.New("request body too large")
	ErrBodyRead     = errors.New("read request body")
	ErrSaveImage    = errors.New("save image")
	ErrTemplate     = errors.New("fill template")
	ErrBadQuery     = errors.New("malformed query string")
)

// unknownStyleError names the requested style and the ones that exist.
type unknownStyleError struct {
	name      string
	available []string
}

func (e *unknownStyleError) Error() string {
	return fmt.Sprintf("unknown style %q", e.name)
}

func (e *unknownStyleError) Unwrap() error { return styles.ErrUnknownStyle }

// queryTooLargeError carries the size and the limit of a query string.
type queryTooLargeError struct{ size, limit int }

func (e *queryTooLargeError) Error() string {
	return fmt.Sprintf("query string of %d bytes over the limit of %d", e.size, e.limit)
}
func (e *queryTooLargeError) Unwrap() error { return ErrBadQuery }

// Parameters that can make a card short enough, for cardTooTallError.
const (
	fixScale        = "scale"
	fixType         = "type"
	fixScaleAndType = "scale+type"
	fixMaxChara     = "max_chara"
)

// cardTooTallError is a renderer.TooTallError with the parameters of the
// request that can bring the card under the limit.
type cardTooTallError struct {
	*renderer.TooTallError
	fixes []string
}

func (e *cardTooTallError) Unwrap() error { return e.TooTallError }

// joinFixes returns the advice for fixes after prefix, joined by sep.
func joinFixes(fixes []string, advice map[string]string, prefix, sep string) string {
	parts := make([]string, len(fixes))
	for i, fix := range fixes {
		parts[i] = advice[fix]
	}
	return prefix + strings.Join(parts, sep)
}

// bodyTooLargeError carries the configured limit for the message.
type bodyTooLargeError struct{ limit int64 }

func (e *bodyTooLargeError) Error() string { return fmt.Sprintf("request body over %d bytes", e.limit) }
func (e *bodyTooLargeError) Unwrap() error { return ErrBodyTooLarge }

// failure is the public side of an error: what the reply shows a client.
type failure struct {
	retcode int
	message string
	// status is the HTTP status; generator replies stay 200 like the original.
	status int
	// retryAfter, when set, becomes the Retry-After header in seconds.
	retryAfter int
}

// describe maps err to a retcode and a message in lang. It is the only
// place that decides what a client sees of an error.
func describe(err error, lang string) failure {
	m := messagesFor(lang)
	var (
		jsonErr     *record.NotJSONError
		fieldErr    *record.FieldError
		upstreamErr *record.UpstreamError
		paramErr    *styles.ParamError
		styleErr    *unknownStyleError
		sizeErr     *bodyTooLargeError
		queryErr    *queryTooLargeError
		tallErr     *cardTooTallError
	)
	switch {
	case errors.As(err, &sizeErr):
		return failure{retcode: RetBadInput, message: m.bodyTooLarge(sizeErr.limit)}
	case errors.Is(err, ErrBodyRead):
		return failure{retcode: RetBadInput, message: m.bodyRead}
	case errors.As(err, &jsonErr):
		return failure{retcode: RetBadInput, message: m.notJSON(jsonErr)}
	case errors.As(err, &fieldErr):
		return failure{retcode: RetBadInput, message: m.fieldType(fieldErr)}
	case errors.As(err, &upstreamErr):
		return failure{retcode: RetBadInput, message: m.upstream(upstreamErr)}
	case errors.As(err, &paramErr):
		return failure{retcode: RetBadInput, message: m.param(paramErr)}
	case errors.As(err, &styleErr):
		return failure{retcode: RetUnknownStyle, message: m.unknownStyle(styleErr.name, styleErr.available)}
	case errors.As(err, &queryErr):
		return failure{retcode: RetBadInput, message: m.queryTooLarge(queryErr.size, queryErr.limit)}
	case errors.Is(err, ErrBadQuery):
		return failure{retcode: RetBadInput, message: m.badQuery}
	case errors.As(err, &tallErr):
		return failure{retcode: RetBadInput, message: m.tooTall(tallErr.Height, tallErr.Limit, tallErr.fixes)}
	case errors.Is(err, renderer.ErrQueueFull):
		return failure{retcode: RetRenderFailed, message: m.busy, retryAfter: 1}
	case errors.Is(err, renderer.ErrTimeout):
		return failure{retcode: RetRenderFailed, message: m.timeout}
	case errors.Is(err, renderer.ErrUnavailable), errors.Is(err, renderer.ErrClosed):
		return failure{retcode: RetRenderFailed, message: m.unavailable, retryAfter: 5}
	case errors.Is(err, context.Canceled):
		return failure{retcode: RetRenderFailed, message: m.canceled}
	case errors.Is(err, ErrSaveImage):
		return failure{retcode: RetRenderFailed, message: m.save}
	case errors.Is(err, storage.ErrNotFound):
		return failure{retcode: RetNotFound, message: m.notFound, status: http.StatusNotFound}
	}
	return failure{retcode: RetRenderFailed, message: m.render}
}

// messages holds the public texts of one language.
type messages struct {
	bodyRead, badQuery, busy, timeout, unavailable, canceled, save, render, notFound string
	notFoundRoute, methodNotAllowed                                                  string

	tooTall       func(height, limit int, fixes []string) string
	queryTooLarge func(size, limit int) string

	bodyTooLarge func(limit int64) string
	notJSON      func(e *record.NotJSONError) string
	fieldType    func(e *record.FieldError) string
	upstream     func(e *record.UpstreamError) string
	param        func(e *styles.ParamError) string
	unknownStyle func(name string, available []string) string
}

func messagesFor(lang string) *messages {
	if lang == "en" {
		return &english
	}
	return &chinese
}

var chinese = messages{
	bodyRead:         "读取请求体失败",
	badQuery:         "查询参数格式错误，请检查 URL 编码",
	notFoundRoute:    "接口不存在",
	methodNotAllowed: "请求方法不支持，生成接口请使用 POST",
	queryTooLarge: func(size, limit int) string {
		return fmt.Sprintf("查询字符串长 %d 字节，超过上限 %d 字节，请缩短参数", size, limit)
	},
	tooTall: func(height, limit int, fixes []string) string {
		msg := fmt.Sprintf("卡片高度 %d 像素超过上限 %d 像素", height, limit)
		advice := map[string]string{
			fixScale: "把 scale 降为 1", fixType: "改用 jpg", fixScaleAndType: "把 scale 降为 1 并改用 jpg",
			fixMaxChara: "用 max_chara 减少角色",
		}
		if len(fixes) == 0 {
			return msg + "，请减少请求中的角色数量"
		}
		return msg + joinFixes(fixes, advice, "，请", "，或")
	},
	notJSON: func(e *record.NotJSONError) string {
		switch e.Reason {
		case record.NotJSONEmpty:
			return "请求体为空，应为 JSON 对象"
		case record.NotJSONTruncated:
			return "请求体的 JSON 不完整，在结尾处中断"
		case record.NotJSONTooDeep:
			return "请求体的 JSON 嵌套层数过多"
		case record.NotJSONTrailing:
			return "请求体在 JSON 对象之后还有多余内容"
		case record.NotJSONNotObject:
			if e.Kind == "null" {
				return "请求体应为 JSON 对象，实际是 null"
			}
			return fmt.Sprintf("请求体应为 JSON 对象，实际是%s", chineseKind(e.Kind))
		}
		if e.Offset > 0 {
			return fmt.Sprintf("请求体不是有效的 JSON：第 %d 字节处有语法错误", e.Offset)
		}
		return "请求体不是有效的 JSON 对象"
	},
	busy:        "服务繁忙，请稍后重试",
	timeout:     "生成图片超时，请稍后重试",
	unavailable: "渲染服务暂不可用，请稍后重试",
	canceled:    "请求已取消",
	save:        "保存图片失败",
	render:      "生成图片时发生错误",
	notFound:    "图片不存在或已过期",
	bodyTooLarge: func(limit int64) string {
		return fmt.Sprintf("请求体超过 %s 上限", formatBytes(limit))
	},
	fieldType: func(e *record.FieldError) string {
		if e.Got == "missing" {
			return fmt.Sprintf("缺少字段 %s（应为%s）", e.Path, chineseKind(e.Expected))
		}
		return fmt.Sprintf("字段 %s 类型错误：应为%s，实际为%s", e.Path, chineseKind(e.Expected), chineseKind(e.Got))
	},
	upstream: func(e *record.UpstreamError) string {
		return fmt.Sprintf("米游社接口返回错误（retcode %d）：%s", e.Retcode, e.Message)
	},
	param: func(e *styles.ParamError) string {
		return fmt.Sprintf("参数 %s 的值 %q 无效：应为%s", e.Name, e.Value, chineseExpected(e.Param))
	},
	unknownStyle: func(name string, available []string) string {
		return fmt.Sprintf("样式 %q 不存在，可用的样式：%s", name, strings.Join(available, "、"))
	},
}

var english = messages{
	bodyRead:         "failed to read the request body",
	badQuery:         "the query string is malformed; check its URL encoding",
	notFoundRoute:    "no such endpoint",
	methodNotAllowed: "method not allowed; the generator takes POST",
	queryTooLarge: func(size, limit int) string {
		return fmt.Sprintf("the query string is %d bytes, over the limit of %d bytes; shorten the parameters", size, limit)
	},
	tooTall: func(height, limit int, fixes []string) string {
		msg := fmt.Sprintf("the card is %d px tall, over the limit of %d px", height, limit)
		advice := map[string]string{
			fixScale: "use scale=1", fixType: "use jpg", fixScaleAndType: "use scale=1 with jpg",
			fixMaxChara: "show fewer characters with max_chara",
		}
		if len(fixes) == 0 {
			return msg + "; send a record with fewer characters"
		}
		return msg + joinFixes(fixes, advice, "; ", ", or ")
	},
	notJSON: func(e *record.NotJSONError) string {
		switch e.Reason {
		case record.NotJSONEmpty:
			return "the request body is empty; expected a JSON object"
		case record.NotJSONTruncated:
			return "the request body ends before its JSON is complete"
		case record.NotJSONTooDeep:
			return "the request body's JSON nests too many levels deep"
		case record.NotJSONTrailing:
			return "the request body has more data after its JSON object"
		case record.NotJSONNotObject:
			return fmt.Sprintf("the request body must be a JSON object, got %s", article(e.Kind))
		}
		if e.Offset > 0 {
			return fmt.Sprintf("the request body is not valid JSON: syntax error at byte %d", e.Offset)
		}
		return "the request body is not a valid JSON object"
	},
	busy:        "the service is busy; retry in a moment",
	timeout:     "rendering the image timed out; retry in a moment",
	unavailable: "the renderer is unavailable; retry in a moment",
	canceled:    "the request was canceled",
	save:        "failed to save the image",
	render:      "failed to render the image",
	notFound:    "image not found or expired",
	bodyTooLarge: func(limit int64) string {
		return fmt.Sprintf("the request body exceeds the %s limit", formatBytes(limit))
	},
	fieldType: func(e *record.FieldError) string {
		if e.Got == "missing" {
			return fmt.Sprintf("field %s is missing (expected %s)", e.Path, article(e.Expected))
		}
		return fmt.Sprintf("field %s has the wrong type: expected %s, got %s", e.Path, article(e.Expected), article(e.Got))
	},
	upstream: func(e *record.UpstreamError) string {
		return fmt.Sprintf("the game-record API returned an error (retcode %d): %s", e.Retcode, e.Message)
	},
	param: func(e *styles.ParamError) string {
		return fmt.Sprintf("invalid value %q for parameter %s: expected %s", e.Value, e.Name, e.Param.Expected())
	},
	unknownStyle: func(name string, available []string) string {
		return fmt.Sprintf("unknown style %q; available styles: %s", name, strings.Join(available, ", "))
	},
}

// chineseKinds translates the JSON kinds of a FieldError.
var chineseKinds = map[string]string{
	"number": "数字", "integer": "整数", "string": "字符串", "object": "对象",
	"array": "数组", "boolean": "布尔值", "null": "null", "missing": "缺失",
}

func chineseKind(kind string) string {
	if k, ok := chineseKinds[kind]; ok {
		return k
	}
	return kind
}

func article(kind string) string {
	switch kind {
	case "null", "missing":
		return kind
	case "integer", "object", "array":
		return "an " + kind
	}
	return "a " + kind
}

// chineseExpected words a parameter's accepted form in Chinese.
func chineseExpected(p styles.Param) string {
	switch p.Type {
	case styles.TypeInt:
		switch {
		case p.Min != nil && p.Max != nil:
			return fmt.Sprintf(" %d 到 %d 之间的整数", *p.Min, *p.Max)
		case p.Min != nil:
			return fmt.Sprintf("不小于 %d 的整数", *p.Min)
		case p.Max != nil:
			return fmt.Sprintf("不大于 %d 的整数", *p.Max)
		}
		return "整数"
	case styles.TypeBool:
		return " true 或 false"
	case styles.TypeEnum:
		return "以下之一：" + strings.Join(p.Enum, "、")
	case styles.TypeURL:
		return " http 或 https 链接"
	case styles.TypeAvatar:
		return " QQ 号或 http/https 图片链接"
	}
	return "文本"
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
