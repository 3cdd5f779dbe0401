import type { LocalizedText } from '@hcp/domain';

/** One failed check, as returned to the caller: which field and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The subset of an Ajv / TypeBox error this module reads. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

/**
 * The field a schema error is about, as a dotted path from the request part: a missing or unknown
 * property names the property itself, so `{}` without `level` reports `body.level`.
 */
export function fieldOf(part: string, e: SchemaError): string {
  const segments = e.instancePath.split('/').filter(Boolean);
  const extra = e.params.missingProperty ?? e.params.additionalProperty;
  if (typeof extra === 'string') segments.push(extra);
  // TypeBox reports unknown and missing properties as lists.
  const list = e.params.requiredProperties ?? e.params.additionalProperties;
  if (Array.isArray(list) && typeof list[0] === 'string') segments.push(list[0]);
  return [part, ...segments].join('.');
}

const ZH: Record<string, string> = {
  required: '缺少必填字段',
  additionalProperties: '不允许的字段',
  type: '类型不正确',
  enum: '取值不在允许范围内',
  const: '取值不正确',
  pattern: '格式不正确',
  format: '格式不正确',
  minLength: '长度过短',
  maxLength: '长度过长',
  minimum: '数值过小',
  maximum: '数值过大',
  minItems: '条目过少',
  maxItems: '条目过多',
  anyOf: '取值不符合任一允许的形式',
};

/** A bilingual message for a schema error. */
export function describe(e: SchemaError): LocalizedText {
  const en = e.keyword === 'additionalProperties' ? 'is not an allowed field' : (e.message ?? 'is invalid');
  return { en, zh: ZH[e.keyword] ?? '取值无效' };
}
