package lang

// Named is implemented by value types defined outside this package
// (procedures, records, promises...) to give their type's name in error
// messages.
type Named interface{ TypeName() string }

// TypeName returns the name of v's type as error messages show it:
// "pair", "integer", "string"...
func TypeName(v Value) string {
	switch v := v.(type) {
	case *Null:
		return "empty list"
	case Boolean:
		return "boolean"
	case Fixnum, *Bignum:
		return "integer"
	case *Ratnum:
		return "rational"
	case Flonum:
		return "real"
	case Char:
		return "character"
	case *String:
		return "string"
	case *Symbol:
		return "symbol"
	case *Keyword:
		return "keyword"
	case *Pair:
		return "pair"
	case *Vector:
		return "vector"
	case *Bytevector:
		return "bytevector"
	case *Unspecified:
		return "unspecified"
	case *EOFObject:
		return "eof-object"
	case Named:
		return v.TypeName()
	}
	return "unknown object"
}
