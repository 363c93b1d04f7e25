package table

// len(table) is its number of rows, as astropy's. (The session's len() asks an object's
// __len__ before its Items; this file's name sorts after py.go, whose init sets the
// member table this one extends.)

import "gokist/obj"

func init() {
	tableType.Members = append(tableType.Members, &obj.Member{
		Name: "__len__", Signature: "__len__()", Doc: "The number of rows.",
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) { return recv.(*Table).Len(), nil },
	})
}
