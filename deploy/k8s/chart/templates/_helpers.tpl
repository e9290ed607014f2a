{{/*
Names, labels and the parts every workload shares. Written in the template subset that
tests/deploy/helm_render.py understands (see deploy/k8s/README.md).
Most helpers take a context dict: root (the chart's top-level context), name, component, spec.
*/}}

{{- define "clinic.fullname" -}}
{{ printf "%s-%s" .root.Release.Name .name }}
{{- end }}

{{- define "clinic.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{- define "clinic.labels" -}}
{{ include "clinic.selectorLabels" . }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: clinic
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end }}

{{- define "clinic.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* One env entry read from the existing Secret: dict root, var, key. */}}
{{- define "clinic.secretEnv" -}}
- name: {{ .var }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.secrets.existingSecret }}
      key: {{ .key }}
{{- end }}

{{/* Pod-level settings shared by Deployments and migration Jobs: dict root. */}}
{{- define "clinic.podBasics" -}}
automountServiceAccountToken: false
{{- /* Service links would inject CLINIC_<SERVICE>_PORT=tcp://… variables into the CLINIC_ namespace. */}}
enableServiceLinks: false
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .root.Values.tmpSizeLimit }}
{{- end }}

{{/* Container-level settings shared by every container: dict root. */}}
{{- define "clinic.containerBasics" -}}
image: {{ include "clinic.image" .root }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
securityContext:
  {{- toYaml .root.Values.securityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end }}
