// Package layers owns the project's layering: which project packages each
// package may import, as a table in layers_test.go, and the test that
// holds the tree to it. The test fails when a package imports a project
// package its row does not allow, when a package has no row (so a new
// package must declare its layer), when a row names a package that is
// gone, and when `go list -deps` of matching or scheduling reaches any
// project package but catalog. The layers themselves are described in
// docs/architecture.md.
//
// It has no code of its own: nothing imports it, and it must not import
// any project package (it reads the tree through `go list`).
package layers
