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
  verbs: ["patch"]
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
