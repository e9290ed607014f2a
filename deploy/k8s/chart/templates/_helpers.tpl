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

{{- /* repository@digest when a digest is given (it wins over the tag), else repository:tag. */}}
{{- define "clinic.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}
{{- end }}

{{/*
CLINIC_DATABASE_URL: from the existing Secret, or built from an operator's Secret (postgresql.fromSecret)
and its Service; Kubernetes expands $(VAR) from the variables defined before it. dict root.
*/}}
{{- define "clinic.databaseEnv" -}}
{{- $pg := .root.Values.postgresql }}
{{- if $pg.fromSecret }}
{{- include "clinic.operatorCredentials" (dict "prefix" "DB" "spec" $pg) }}
- name: CLINIC_DATABASE_URL
  value: {{ printf "postgresql+asyncpg://$(DB_USER):$(DB_PASSWORD)@%s:%v/%s" (required "postgresql.host is required with postgresql.fromSecret" $pg.host) $pg.port $pg.database | quote }}
{{- else }}
{{- include "clinic.secretEnv" (dict "root" .root "var" "CLINIC_DATABASE_URL" "key" .root.Values.secrets.keys.databaseUrl) }}
{{- end }}
{{- end }}

{{/* CLINIC_AMQP_URL, the same way (rabbitmq.fromSecret). dict root. */}}
{{- define "clinic.amqpEnv" -}}
{{- $mq := .root.Values.rabbitmq }}
{{- if $mq.fromSecret }}
{{- include "clinic.operatorCredentials" (dict "prefix" "AMQP" "spec" $mq) }}
- name: CLINIC_AMQP_URL
  value: {{ printf "amqp://$(AMQP_USER):$(AMQP_PASSWORD)@%s:%v/%s" (required "rabbitmq.host is required with rabbitmq.fromSecret" $mq.host) $mq.port $mq.vhost | quote }}
{{- else }}
{{- include "clinic.secretEnv" (dict "root" .root "var" "CLINIC_AMQP_URL" "key" .root.Values.secrets.keys.amqpUrl) }}
{{- end }}
{{- end }}

{{/* <prefix>_USER and <prefix>_PASSWORD from an operator's Secret: dict prefix, spec. */}}
{{- define "clinic.operatorCredentials" -}}
- name: {{ .prefix }}_USER
  valueFrom:
    secretKeyRef:
      name: {{ .spec.fromSecret }}
      key: {{ .spec.usernameKey }}
- name: {{ .prefix }}_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .spec.fromSecret }}
      key: {{ .spec.passwordKey }}
{{- end }}

{{/*
A map of the global values[key] and the process's spec[key] (the process's win), then the
chart's own entries (they win over both): dict root, spec, key, own. As YAML, or "" when empty.
*/}}
{{- define "clinic.mergedMap" -}}
{{- $merged := dict }}
{{- range $k, $v := (index .root.Values .key) }}
{{- $_ := set $merged $k $v }}
{{- end }}
{{- range $k, $v := (index .spec .key) }}
{{- $_ := set $merged $k $v }}
{{- end }}
{{- range $k, $v := .own }}
{{- $_ := set $merged $k $v }}
{{- end }}
{{- if $merged }}
{{- toYaml $merged }}
{{- end }}
{{- end }}

{{/*
Scheduling of a process's pods (placement in values.yaml): dict root, name, spec.
*/}}
{{- define "clinic.placement" -}}
{{- $p := .root.Values.placement }}
{{- $spec := .spec }}
{{- $spread := $spec.spread | default $p.spread }}
{{- $anti := $spec.antiAffinity | default $p.antiAffinity }}
{{- $selector := include "clinic.selectorLabels" . }}
{{- with ($spec.nodeSelector | default $p.nodeSelector) }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with ($spec.tolerations | default $p.tolerations) }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with ($spec.affinity | default $p.affinity) }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- else }}
{{- if ne $anti "none" }}
affinity:
  podAntiAffinity:
    {{- if eq $anti "hard" }}
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- $selector | nindent 12 }}
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 50
        podAffinityTerm:
          topologyKey: topology.kubernetes.io/zone
          labelSelector:
            matchLabels:
              {{- $selector | nindent 14 }}
    {{- else }}
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- $selector | nindent 14 }}
      - weight: 50
        podAffinityTerm:
          topologyKey: topology.kubernetes.io/zone
          labelSelector:
            matchLabels:
              {{- $selector | nindent 14 }}
    {{- end }}
{{- end }}
{{- end }}
{{- with ($spec.topologySpreadConstraints | default $p.topologySpreadConstraints) }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- else }}
{{- if ne $spread "none" }}
topologySpreadConstraints:
  {{- range $key := list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
  - maxSkew: 1
    topologyKey: {{ $key }}
    whenUnsatisfiable: {{ eq $spread "hard" | ternary "DoNotSchedule" "ScheduleAnyway" }}
    labelSelector:
      matchLabels:
        {{- $selector | nindent 8 }}
    {{- /* Counted per ReplicaSet: a rolling update's new pods spread among themselves. */}}
    matchLabelKeys:
      - pod-template-hash
  {{- end }}
{{- end }}
{{- end }}
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
