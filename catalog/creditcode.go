package catalog

import "strings"

// creditCodeAlphabet is the GB 32100-2015 character set: digits and the
// capital letters without I, O, Z, S and V. A character's value is its index.
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheckChar computes the check character for the first 17
// characters of a unified social credit code. ok is false when the prefix is
// not 17 characters of the GB 32100 alphabet.
func CreditCodeCheckChar(prefix string) (c byte, ok bool) {
	if len(prefix) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeAlphabet, prefix[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditCodeWeights[i]
	}
	return creditCodeAlphabet[(31-sum%31)%31], true
}

// ValidCreditCode reports whether code is an 18-character unified social
// credit code whose last character is the GB 32100 check character.
func ValidCreditCode(code string) bool {
	if len(code) != 18 {
		return false
	}
	c, ok := CreditCodeCheckChar(code[:17])
	return ok && c == code[17]
}
