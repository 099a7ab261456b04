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
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}
