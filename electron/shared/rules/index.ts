// The seeding-rule language of issue 13 §2: one module for the engine, the preview, the CLI
// and the editor. Pure TypeScript (it runs in the renderer too); see docs/rules-language.md.
export type { CompareOperator, Condition, Literal, LiteralType, Rule, Span } from './ast';
export { COMPARE_OPERATORS } from './ast';
export { RuleError, isRuleError, type RulePosition } from './errors';
export {
  RULE_FIELDS,
  fieldNamed,
  type FieldSpec,
  type FieldType,
  type FieldValue,
} from './fields';
export { FIELD_NAME, MAX_RULE_DEPTH, MAX_RULE_LENGTH, parse, parseOrThrow, type ParseResult } from './parser';
export { compile, evaluate, formatFieldValue, matcherOf, matches, type CompiledRule, type Evaluation, type Observation, type Truth } from './evaluate';
export { formatCondition } from './print';
export { DURATION_UNITS, SIZE_UNITS, UNIT_NAMES, exactSizeText, parseDurationText, parseSizeText } from './units';
export { completeAt, type Completion, type CompletionOption } from './complete';
