package main

//go:generate go tool gqlgen generate
//go:generate go run ./graph/seqlists.go graph
