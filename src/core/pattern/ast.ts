/**
 * The abstract syntax of a STIX 2.1 pattern (STIX 2.1 section 9). Every node is an immutable value
 * tagged by `kind`; the printer turns any tree back into canonical pattern text.
 */

/** A constant of one of the types of section 9.2. */
export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** `b'...'`: the base64 text as written (line feeds removed); decode with `literalBytes`. */
  | { readonly kind: 'binary'; readonly value: string }
  /** `h'...'`: the hex digits in lower case. */
  | { readonly kind: 'hex'; readonly value: string }
  /** `t'...'`: the STIX timestamp text (section 2.16). */
  | { readonly kind: 'timestamp'; readonly value: string };

export type LiteralKind = Literal['kind'];

/** One step of an object path after the object type (section 9.7). */
export type PathStep =
  | { readonly kind: 'key'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'any' };

/** `<object-type>:<property_name>...`; the first step is always a key. */
export interface ObjectPath {
  readonly objectType: string;
  readonly steps: ReadonlyArray<PathStep>;
}

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

/** A comparison of an object path with a constant; `negated` records a leading NOT. */
export interface Comparison {
  readonly kind: 'comparison';
  readonly path: ObjectPath;
  readonly operator: ComparisonOperator;
  readonly negated: boolean;
  readonly value: Literal;
}

/** `path [NOT] IN (c1, c2, ...)`. */
export interface SetComparison {
  readonly kind: 'in';
  readonly path: ObjectPath;
  readonly negated: boolean;
  readonly values: ReadonlyArray<Literal>;
}

/**
 * `EXISTS path`, or `NOT EXISTS path` (`negated`, present only when true): NOT may precede every
 * comparison operator of section 9.6.1, EXISTS included.
 */
export interface Exists {
  readonly kind: 'exists';
  readonly path: ObjectPath;
  readonly negated?: true;
}

/** Boolean operators inside an observation expression; AND binds tighter than OR (section 9.6). */
export interface BooleanExpression {
  readonly kind: 'and' | 'or';
  readonly left: ComparisonExpression;
  readonly right: ComparisonExpression;
}

export type ComparisonExpression = Comparison | SetComparison | Exists | BooleanExpression;

export type Qualifier =
  | { readonly kind: 'within'; readonly seconds: number }
  | { readonly kind: 'repeats'; readonly times: number }
  | { readonly kind: 'start-stop'; readonly start: string; readonly stop: string };

/** `[ comparison-expression ]`: matches one observation (section 9.5). */
export interface ObservationExpression {
  readonly kind: 'observation';
  readonly expression: ComparisonExpression;
}

/** Observation operators; precedence AND > OR > FOLLOWEDBY, all left-associative (section 9.5.3). */
export interface ObservationOperation {
  readonly kind: 'observation-and' | 'observation-or' | 'followed-by';
  readonly left: PatternExpression;
  readonly right: PatternExpression;
}

/**
 * Qualifiers after one observation expression or parenthesised group, in source order; at most
 * one of each kind (section 9.5.1). A qualifier written after a closing parenthesis that wraps an
 * already qualified expression nests a new node.
 */
export interface QualifiedExpression {
  readonly kind: 'qualified';
  readonly operand: PatternExpression;
  readonly qualifiers: ReadonlyArray<Qualifier>;
}

export type PatternExpression = ObservationExpression | ObservationOperation | QualifiedExpression;
