// Label sets for translated series: point attributes, scope, job/instance,
// and the `target_info` labels of a resource. Pure functions.

import type {
  AnyValue,
  Attributes,
  InstrumentationScope,
  Labels,
  Resource,
} from '../../model/telemetry';
import { formatFloat, labelName } from './prom-names';

const SERVICE_NAME = 'service.name';
const SERVICE_NAMESPACE = 'service.namespace';
const SERVICE_INSTANCE_ID = 'service.instance.id';

function toJson(v: AnyValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : formatFloat(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return (v as readonly AnyValue[]).map(toJson);
  const out: Record<string, unknown> = {};
  for (const [k, inner] of Object.entries((v as { kvlist: Attributes }).kvlist))
    out[k] = toJson(inner);
  return out;
}

/** An attribute value as label text, as the collector's `Value.AsString` renders it. */
export function valueText(v: AnyValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatFloat(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return JSON.stringify(toJson(v));
}

/**
 * Attributes as labels. Keys that sanitize to the same name have their values
 * joined with `;` in key order (the exporters' rule); empty values are dropped
 * because Prometheus treats an empty label as an absent one.
 */
export function attributeLabels(
  attrs: Attributes,
  into: Record<string, string> = {},
  skip?: ReadonlySet<string>,
): Record<string, string> {
  const keys = Object.keys(attrs).sort();
  const merged = new Map<string, string[]>();
  for (const key of keys) {
    if (skip?.has(key)) continue;
    const name = labelName(key);
    const value = valueText(attrs[key] ?? null);
    if (name === '' || value === '') continue;
    const list = merged.get(name);
    if (list) list.push(value);
    else merged.set(name, [value]);
  }
  for (const [name, values] of merged) into[name] = values.join(';');
  return into;
}

/** `job` and `instance` from a resource, as the exporters derive them. */
export function jobInstance(resource: Resource): { job?: string; instance?: string } {
  const attrs = resource.attributes;
  const out: { job?: string; instance?: string } = {};
  const name = attrs[SERVICE_NAME];
  if (name !== undefined && name !== null) {
    const ns = attrs[SERVICE_NAMESPACE];
    const nsText = ns === undefined ? '' : valueText(ns);
    out.job = nsText === '' ? valueText(name) : `${nsText}/${valueText(name)}`;
  }
  const id = attrs[SERVICE_INSTANCE_ID];
  if (id !== undefined && id !== null) out.instance = valueText(id);
  return out;
}

/** The labels of one series, without `__name__` or the kind's own labels (`le`, `quantile`). */
export function seriesLabels(
  attributes: Attributes,
  scope: InstrumentationScope,
  resource: Resource,
): Record<string, string> {
  const labels = attributeLabels(attributes);
  // Scope labels only for a named scope, as Prometheus' OTLP translation does.
  if (scope.name !== '') {
    labels['otel_scope_name'] = scope.name;
    if (scope.version !== '') labels['otel_scope_version'] = scope.version;
    if (scope.schemaUrl !== '') labels['otel_scope_schema_url'] = scope.schemaUrl;
    for (const key of Object.keys(scope.attributes)) {
      const value = valueText(scope.attributes[key] ?? null);
      if (value !== '') labels[labelName(`otel_scope_${key}`)] = value;
    }
  }
  const { job, instance } = jobInstance(resource);
  if (job !== undefined && job !== '') labels['job'] = job;
  if (instance !== undefined && instance !== '') labels['instance'] = instance;
  return labels;
}

const IDENTIFYING = new Set([SERVICE_NAME, SERVICE_NAMESPACE, SERVICE_INSTANCE_ID]);

/**
 * Labels of the resource's `target_info` series: job/instance plus every other
 * resource attribute; undefined when the resource says nothing more than its
 * identity, or has no identity (the exporters emit no `target_info` then).
 */
export function targetInfoLabels(resource: Resource): Labels | undefined {
  const extra = attributeLabels(resource.attributes, {}, IDENTIFYING);
  if (Object.keys(extra).length === 0) return undefined;
  const { job, instance } = jobInstance(resource);
  // Without job or instance nothing could join target_info to the series.
  if ((job ?? '') === '' && (instance ?? '') === '') return undefined;
  if (job !== undefined && job !== '') extra['job'] = job;
  if (instance !== undefined && instance !== '') extra['instance'] = instance;
  extra['__name__'] = 'target_info';
  return extra;
}

// Keys are one JSON text, not built with +=: caches keep them, and a string
// built piece by piece is a tree of pieces several times its size. JSON also
// keeps attacker-chosen separators in values from making two sets one key.

/** A canonical text of a label set: equal label sets, equal keys. */
export function labelsKey(labels: Labels): string {
  const parts: string[] = [];
  for (const k of Object.keys(labels).sort()) parts.push(k, labels[k] ?? '');
  return JSON.stringify(parts);
}

/** A canonical text of an attribute set (for state keys). */
export function attributesKey(attrs: Attributes): string {
  const parts: string[] = [];
  for (const k of Object.keys(attrs).sort()) parts.push(k, valueText(attrs[k] ?? null));
  return JSON.stringify(parts);
}
