package recon

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strconv"
	"strings"
	"testing"
)

// TestEnumListsComplete: every constant of an enum type declared in this
// package is accepted by its Valid method, so a kind added later cannot
// make sessions that hold it fail to load.
func TestEnumListsComplete(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	valid := map[string]func(string) bool{
		"PivotKind": func(v string) bool { return PivotKind(v).Valid() },
		"Level":     func(v string) bool { return v == "" || Level(v).SignalLevelValid() },
		"Status":    func(v string) bool { return Status(v).Valid() },
		"Touch":     func(v string) bool { return Touch(v).Valid() },
		"Kind":      func(v string) bool { return Kind(v).Valid() },
	}
	seen := 0
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, sp := range g.Specs {
					vs := sp.(*ast.ValueSpec)
					id, ok := vs.Type.(*ast.Ident)
					if !ok || valid[id.Name] == nil {
						continue
					}
					for i, v := range vs.Values {
						lit, ok := v.(*ast.BasicLit)
						if !ok || lit.Kind != token.STRING {
							continue
						}
						s, _ := strconv.Unquote(lit.Value)
						seen++
						if !valid[id.Name](s) {
							t.Errorf("%s %s = %q is not accepted by %s.Valid: add it to the list in validate.go", id.Name, vs.Names[i], s, id.Name)
						}
					}
				}
			}
		}
	}
	if seen < 20 {
		t.Fatalf("found only %d enum constants: the test does not see the declarations", seen)
	}
}

func TestReportValidate(t *testing.T) {
	good := func() *Report {
		return &Report{
			Target: Target{Kind: KindDomain, Value: "nova-parcels.com"},
			Modules: map[string]*ModuleResult{
				"whois": {Status: StatusOK, Touch: TouchThirdParty,
					Signals: []Signal{{Level: LevelRed, Text: "young", Module: "whois", Rule: "young-domain"}},
					Pivots:  []Pivot{{Kind: PivotRegistrar, Value: "NameCheap", Relation: "registrar"}}},
			},
			Assessment: Assessment{Level: LevelRed, Signals: []Signal{{Level: LevelRed, Text: "young", Module: "whois"}}},
		}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("a good report: %v", err)
	}
	esc := "red\x1b]0;pwned\x07"
	tests := []struct {
		name string
		mut  func(r *Report)
		want string
	}{
		{"target kind", func(r *Report) { r.Target.Kind = Kind(esc) }, "target kind"},
		{"assessment level", func(r *Report) { r.Assessment.Level = Level(esc) }, "assessment level"},
		{"assessment signal level", func(r *Report) { r.Assessment.Signals[0].Level = "RED" }, "level \"RED\""},
		{"assessment signal module", func(r *Report) { r.Assessment.Signals[0].Module = esc }, "module"},
		{"module id", func(r *Report) { r.Modules[esc] = &ModuleResult{Status: StatusOK} }, "module id"},
		{"status", func(r *Report) { r.Modules["whois"].Status = "fine" }, "status"},
		{"touch", func(r *Report) { r.Modules["whois"].Touch = "everything" }, "touch"},
		{"module signal level", func(r *Report) { r.Modules["whois"].Signals[0].Level = "" }, "level"},
		{"module signal module", func(r *Report) { r.Modules["whois"].Signals[0].Module = "evil" }, "module"},
		{"pivot kind", func(r *Report) { r.Modules["whois"].Pivots[0].Kind = PivotKind(esc) }, "pivot 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good()
			tt.mut(r)
			err := r.Validate()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
			if strings.ContainsAny(err.Error(), "\x1b\x07") {
				t.Fatalf("the error carries raw control bytes: %q", err.Error())
			}
		})
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  `"plain"`,
		"\x1b]52;c;ZXZpbA==\x07": `"\x1b]52;c;ZXZpbA==\x07"`,
		strings.Repeat("a", 100): `"` + strings.Repeat("a", 60) + `…"`,
		"a\u202eb":               `"a\u202eb"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidateNoticeKind(t *testing.T) {
	for _, k := range NoticeKinds {
		r := &Report{Notices: []Notice{{Kind: k, Text: "x"}}}
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	r := &Report{Notices: []Notice{{Kind: "resolver-\x1b[2Jok"}}}
	if err := r.Validate(); !errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), "\x1b") {
		t.Errorf("bad notice kind: %v", err)
	}
}
