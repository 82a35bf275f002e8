package recon

import (
	"encoding/json"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The plans follow encoding/json's rules for any type, not only those of
// today's facts: sink holds the shapes a future facts type may bring.

type sinkInner struct {
	A string `json:"a"`
	B int    `json:"b,omitempty"`
}

type sinkEmbedded struct {
	A string `json:"a"` // shadowed by sink.A (shallower)
	E string // ties with sinkOther.E: encoding/json drops "E"
	T string // untagged "T"
	U string // untagged, loses to sinkOther's tagged "U"
}

type sinkOther struct {
	E string
	U string `json:"U"`
}

type sink struct {
	sinkEmbedded
	sinkOther
	A     string                `json:"a"`
	N     json.Number           `json:"n"`
	Raw   json.RawMessage       `json:"raw"`
	By    []byte                `json:"by"`
	M     map[string]*sinkInner `json:"m"`
	MI    map[int]string        `json:"mi"`
	PP    **sinkInner           `json:"pp"`
	Any   any                   `json:"any"`
	Arr   [2]int                `json:"arr"`
	F32   float32               `json:"f32"`
	F64   float64               `json:"f64"`
	U8    uint8                 `json:"u8"`
	I8    int8                  `json:"i8"`
	Bool  bool                  `json:"bool"`
	Tm    time.Time             `json:"tm"`
	PTm   *time.Time            `json:"ptm"`
	IP    netip.Addr            `json:"ip"` // a text unmarshaler
	L     []sinkInner           `json:"l"`
	S     []string              `json:"s"`
	P     []Pivot               `json:"p"`
	Lvl   Level                 `json:"lvl"`
	Quote sinkQuoted            `json:"quote"`
	Dash  string                `json:"-"`
	hid   string
}

// sinkQuoted has a ",string" field: decoded by json.Unmarshal whole.
type sinkQuoted struct {
	Q int    `json:"q,string"`
	S string `json:"s"`
}

const sinkJSON = `{"a":"top","E":"tie","T":"t","U":"u","n":12.5,"raw":{"x":[1,2]},"by":"aGk=",
 "m":{"k":{"a":"x","b":2},"nil":null},"mi":{"1":"one"},"pp":{"a":"pp"},"any":{"z":[true,null,1.5]},
 "arr":[1,2],"f32":1.5,"f64":-2e-3,"u8":255,"i8":-128,"bool":true,"tm":"2026-11-20T10:00:00Z","ptm":"2026-11-21T10:00:00.5+01:00",
 "ip":"192.0.2.1","l":[{"a":"l1"},{"b":3}],"s":["x","y\u00e9"],"p":[{"kind":"ip","value":"192.0.2.1","relation":"A"}],
 "lvl":"red","quote":{"q":"7","s":"q"},"hid":"ignored?","Dash":"d"}`

// plainSink is sinkJSON without the keys encoding/json ignores.
var plainSink = strings.NewReplacer(`"E":"tie",`, "", `,"hid":"ignored?","Dash":"d"`, "").Replace(sinkJSON)

// TestDecodeValueLikeUnmarshal: whatever the fast path reads into a sink,
// json.Unmarshal reads the same; and it reads the plain shapes itself.
func TestDecodeValueLikeUnmarshal(t *testing.T) {
	tests := []struct {
		name string
		in   string
		fast bool
	}{
		{"every shape", sinkJSON, false}, // "E" (tied), "hid", "Dash": unknown keys
		{"every shape but unknown keys", plainSink, true},
		{"the tied name", `{"E":"x"}`, false},
		{"untagged name", `{"T":"x","U":"y"}`, true},
		{"untagged name, other case", `{"t":"x"}`, false},
		{"number not a number", `{"n":"12x"}`, false},
		{"number in a string", `{"n":"12"}`, true}, // json.Number takes it (by json.Unmarshal)
		{"u8 overflow", `{"u8":256}`, false},
		{"i8 overflow", `{"i8":-129}`, false},
		{"f32 overflow", `{"f32":1e39}`, false},
		{"negative uint", `{"u8":-1}`, false},
		{"nulls", `{"a":null,"m":null,"pp":null,"any":null,"f32":null,"tm":null,"ptm":null,"ip":null,"l":null,"s":null,"p":null,"quote":null,"bool":null}`, true},
		{"null map value", `{"m":{"k":null}}`, true},
		{"repeated map key", `{"m":{"k":{"a":"1"},"k":{"b":2}}}`, true},
		{"map key with escapes", `{"m":{"k\n\u00e9":{}}}`, true},
		{"bad ip", `{"ip":"x"}`, false},
		{"bad base64", `{"by":"!"}`, false},
		{"array too long", `{"arr":[1,2,3]}`, true},
		{"quoted bad", `{"quote":{"q":7}}`, false},
		{"bool a string", `{"bool":"true"}`, false},
		{"empty lists", `{"l":[],"s":[],"p":[],"m":{}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if fast := sameAsUnmarshal(t, []byte(tt.in)); fast != tt.fast {
				t.Errorf("fast path: %v, want %v", fast, tt.fast)
			}
		})
	}
}

// sameAsUnmarshal fails t unless what decodeFast reads into a sink,
// json.Unmarshal reads the same; it reports whether decodeFast read b.
func sameAsUnmarshal(t testing.TB, b []byte) bool {
	t.Helper()
	var got, want sink
	werr := json.Unmarshal(b, &want)
	fast := decodeFast(b, &got)
	if !fast {
		return false
	}
	if werr != nil {
		t.Fatalf("the fast path reads what json.Unmarshal refuses (%v): %q", werr, b)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the fast path reads\n%+v\njson.Unmarshal\n%+v\ninput %q", got, want, b)
	}
	return true
}

// TestDecodeValueMutations: mutated sinks read as json.Unmarshal reads them.
func TestDecodeValueMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	seed := []byte(plainSink)
	fast := 0
	for range 1500 {
		if sameAsUnmarshal(t, mutate(seed, rng)) {
			fast++
		}
	}
	t.Logf("1500 mutations, %d read on the fast path", fast)
	if fast == 0 {
		t.Error("no mutation read on the fast path")
	}
}

// FuzzDecodeValue holds the plans to json.Unmarshal on arbitrary bytes
// decoded into a sink.
func FuzzDecodeValue(f *testing.F) {
	f.Add([]byte(sinkJSON))
	f.Add([]byte(plainSink))
	f.Add([]byte(`{"m":{"k":null},"s":[null],"p":[null,{}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		sameAsUnmarshal(t, b)
	})
}
