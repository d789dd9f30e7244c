package stdlib

import (
	"math"
	"math/big"
)

type bigInt = big.Int

func bigOne() *big.Int { return big.NewInt(1) }

func nan() float64 { return math.NaN() }
