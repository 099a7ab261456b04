{{/* The names of this release's objects: fullnameOverride, or the release name with the chart's appended unless it has it. */}}
{{- define "etl-operator.fullname" -}}
{{- if .Values.fullnameOverride }}{{ .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains "etl-operator" .Release.Name }}{{ .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}{{ printf "%s-etl-operator" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "etl-operator.serviceAccountName" -}}
{{ .Values.serviceAccount.name | default (include "etl-operator.fullname" .) }}
{{- end }}

{{- define "etl-operator.leaseName" -}}
{{ .Values.leaderElection.leaseName | default (include "etl-operator.fullname" .) }}
{{- end }}

{{/* An image reference from (dict "image" .Values.image "appVersion" .Chart.AppVersion): registry/repository, then @digest or :tag. */}}
{{- define "etl-operator.image" -}}
{{- $repository := .image.repository }}
{{- if .image.registry }}{{ $repository = printf "%s/%s" (trimSuffix "/" .image.registry) .image.repository }}{{ end }}
{{- if .image.digest }}{{ printf "%s@%s" $repository .image.digest }}
{{- else }}{{ printf "%s:%s" $repository (toString (.image.tag | default .appVersion)) }}
{{- end }}
{{- end }}

{{/* Refuses extraEnv names the chart or the operator sets: (dict "env" LIST "field" "runner.extraEnv"). Renders nothing. */}}
{{- define "etl-operator.checkExtraEnv" -}}
{{- range .env }}
{{- if or (hasPrefix "ETL_" .name) (eq .name "JAVA_TOOL_OPTIONS") (eq .name "JOB_COMPLETION_INDEX") }}
{{- fail (printf "%s: %s is set by the chart or the operator (names ETL_*, JAVA_TOOL_OPTIONS and JOB_COMPLETION_INDEX are reserved; use the chart's values and jvmOptions)" $.field .name) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
What the operator adds to every runner pod (it reads RunnerPodTemplate from ETL_RUNNER_POD_TEMPLATE):
a pod template in JSON, of the runner values that are pod fields.
*/}}
{{- define "etl-operator.runnerPodTemplate" -}}
{{- $runner := .Values.runner }}
{{- $metadata := dict }}
{{- with $runner.podLabels }}{{ $_ := set $metadata "labels" . }}{{ end }}
{{- with $runner.podAnnotations }}{{ $_ := set $metadata "annotations" . }}{{ end }}
{{- $container := dict "name" "runner" }}
{{- with $runner.securityContext }}{{ $_ := set $container "securityContext" . }}{{ end }}
{{- include "etl-operator.checkExtraEnv" (dict "env" $runner.extraEnv "field" "runner.extraEnv") }}
{{- with $runner.extraEnv }}{{ $_ := set $container "env" . }}{{ end }}
{{- $spec := dict "containers" (list $container) }}
{{- with $runner.podSecurityContext }}{{ $_ := set $spec "securityContext" . }}{{ end }}
{{- with $runner.imagePullSecrets }}{{ $_ := set $spec "imagePullSecrets" . }}{{ end }}
{{- with $runner.priorityClassName }}{{ $_ := set $spec "priorityClassName" . }}{{ end }}
{{- with $runner.nodeSelector }}{{ $_ := set $spec "nodeSelector" . }}{{ end }}
{{- with $runner.tolerations }}{{ $_ := set $spec "tolerations" . }}{{ end }}
{{- with $runner.affinity }}{{ $_ := set $spec "affinity" . }}{{ end }}
{{- dict "metadata" $metadata "spec" $spec | toJson }}
{{- end }}

{{- define "etl-operator.labels" -}}
app.kubernetes.io/name: etl-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "etl-operator.selector" -}}
app.kubernetes.io/name: etl-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The operator's rights where pipelines live: exactly the verbs it uses. */}}
{{- define "etl-operator.rules" -}}
- apiGroups: ["etl.platform.dev"]
  resources: ["etlpipelines"]
  verbs: ["list", "watch"]
- apiGroups: ["etl.platform.dev"]
  resources: ["etlpipelines/status"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/* A duration of values.schema.json's form (500ms, 30s, 5m, 1h) in milliseconds. */}}
{{- define "etl-operator.millis" -}}
{{- if hasSuffix "ms" . }}{{ trimSuffix "ms" . | int64 }}
{{- else if hasSuffix "s" . }}{{ mul (trimSuffix "s" . | int64) 1000 }}
{{- else if hasSuffix "m" . }}{{ mul (trimSuffix "m" . | int64) 60000 }}
{{- else }}{{ mul (trimSuffix "h" . | int64) 3600000 }}
{{- end }}
{{- end }}
