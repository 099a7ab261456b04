//go:build tools

// Package tools pins the Kubernetes commands this module builds: the control plane the tests and
// `make up` start, and kubectl to talk to it.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
