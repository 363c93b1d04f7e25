package units

import (
	"context"
	"testing"

	"gokist/obj"
)

// TestQuantitySupportFlag checks the session flag quantity_support() sets for plots:
// on after a call, on inside a with block and back to what it was after it.
func TestQuantitySupportFlag(t *testing.T) {
	env := &obj.Env{Ctx: context.Background(), Out: obj.Discard{}, Services: map[string]any{}}
	m := visualizationModule().Type().Member("quantity_support")
	f, err := m.Get(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	call := func() obj.ContextManager {
		t.Helper()
		v, err := f.(*obj.Func).Call(env, obj.Args{})
		if err != nil {
			t.Fatal(err)
		}
		return v.(obj.ContextManager)
	}
	flag := func() any { return env.Services[QuantitySupportService] }
	// with quantity_support(): the call, then Enter and Exit around the block.
	cm := call()
	if flag() != true {
		t.Fatalf("quantity_support() left the flag %v", flag())
	}
	if _, err := cm.Enter(env); err != nil || flag() != true {
		t.Fatalf("inside the block the flag is %v (%v)", flag(), err)
	}
	if err := cm.Exit(env, nil); err != nil || flag() != false {
		t.Errorf("after the block the flag is %v (%v), want false as before", flag(), err)
	}
	// quantity_support() on its own keeps it on; a later with block leaves it on.
	call()
	cm = call()
	cm.Enter(env)
	cm.Exit(env, nil)
	if flag() != true {
		t.Errorf("a with block after quantity_support() left the flag %v, want true", flag())
	}
}
