/**
 * Hand-written recursive-descent parser for STIX 2.1 patterns (section 9). Grammar, highest
 * precedence last:
 *
 *   pattern     := followedBy END
 *   followedBy  := orObs ('FOLLOWEDBY' orObs)*          -- section 9.5.3: FOLLOWEDBY lowest
 *   orObs       := andObs ('OR' andObs)*
 *   andObs      := qualified ('AND' qualified)*
 *   qualified   := ('[' orCmp ']' | '(' followedBy ')') qualifier*
 *   qualifier   := WITHIN number SECONDS | REPEATS int TIMES | START t'..' STOP t'..'
 *   orCmp       := andCmp ('OR' andCmp)*                 -- section 9.6: AND binds tighter
 *   andCmp      := test ('AND' test)*
 *   test        := '(' orCmp ')' | [NOT] EXISTS path | path [NOT] operator constant
 *   path        := type ':' (name | 'quoted') ('.' (name | 'quoted') | '[' (int | '*') ']')*
 *
 * Keywords are upper case and the booleans `true` / `false` lower case: the STIX 2.1 grammar made
 * them case-sensitive (STIX 2.0 accepted any case). A keyword written in another case is refused
 * with a hint naming the spelling to use.
 */
import type {
  ComparisonExpression, ComparisonOperator, Literal, ObjectPath, PathStep, PatternExpression, Qualifier,
} from './ast.js';
import { tokenize, type Token } from './lexer.js';
import { patternError } from './pattern-error.js';

/** Source columns of nodes, kept beside the tree so that the tree itself stays a plain value. */
export type Positions = WeakMap<object, number>;

export interface ParseResult {
  readonly ast: PatternExpression;
  readonly positions: Positions;
}

/**
 * Limits that keep untrusted patterns from exhausting the stack of the recursive parts (parser,
 * checks, printer, evaluator): nesting of parentheses, and operands of one chain of operators.
 */
export const MAX_NESTING = 100;
export const MAX_OPERANDS = 1000;

const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS: ReadonlySet<string> = new Set([
  'AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'IN',
  'START', 'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES',
]);

/** The spelling STIX 2.1 requires when `word` is a keyword or boolean written in another case. */
function miscased(word: string): string | undefined {
  const upper = word.toUpperCase();
  if (KEYWORDS.has(upper) && word !== upper) return upper;
  const lower = word.toLowerCase();
  if ((lower === 'true' || lower === 'false') && word !== lower) return lower;
  return undefined;
}

/** Parses pattern text into an AST without the semantic checks; see `parsePattern` for both. */
export function parseSyntax(text: string): ParseResult {
  const parser = new Parser(tokenize(text));
  const ast = parser.followedBy();
  parser.expectEnd();
  return { ast, positions: parser.positions };
}

class Parser {
  readonly positions: Positions = new WeakMap();
  private pos = 0;
  private nesting = 0;
  private operands = 0;

  constructor(private readonly tokens: ReadonlyArray<Token>) {}

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.pos++;
    return token;
  }

  private isKeyword(word: string, token: Token = this.peek()): boolean {
    return token.kind === 'word' && token.text === word;
  }

  private isPunct(text: string, token: Token = this.peek()): boolean {
    return token.kind === 'punct' && token.text === text;
  }

  private fail(expected: string, token: Token = this.peek()): never {
    // A lower-case keyword usually surfaces one token later (`exists file:x` reads as a type).
    const index = this.tokens.indexOf(token);
    const before = index > 0 ? this.tokens[index - 1] : undefined;
    // ...but a word right after ':' or '.' is a property name, which may well be `start`.
    const beforeIsProperty = index > 1 && (this.isPunct(':', this.tokens[index - 2]) || this.isPunct('.', this.tokens[index - 2]));
    for (const t of [token, beforeIsProperty ? undefined : before]) {
      const spelling = t?.kind === 'word' ? miscased(t.text) : undefined;
      if (t?.kind === 'word' && spelling !== undefined) {
        throw patternError(t.column, `'${t.text}' must be written ${spelling}: STIX 2.1 keywords are case-sensitive`);
      }
    }
    throw patternError(token.column, `expected ${expected} but found ${describe(token)}`);
  }

  private expectPunct(text: string, expected = `'${text}'`): Token {
    if (!this.isPunct(text)) this.fail(expected);
    return this.next();
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(word);
    this.next();
  }

  expectEnd(): void {
    if (this.peek().kind !== 'end') {
      this.fail("AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern");
    }
  }

  /** Counts one more operand of an operator chain, refusing patterns past MAX_OPERANDS. */
  private operand(column: number): void {
    if (++this.operands > MAX_OPERANDS) {
      throw patternError(column, `the pattern has more than ${MAX_OPERANDS} operands; split it into several indicators`);
    }
  }

  /** Enters one level of parentheses or brackets, refusing patterns nested past MAX_NESTING. */
  private enter(column: number): void {
    if (++this.nesting > MAX_NESTING) {
      throw patternError(column, `parentheses nest more than ${MAX_NESTING} levels deep`);
    }
  }

  private mark<T extends object>(node: T, column: number): T {
    this.positions.set(node, column);
    return node;
  }

  followedBy(): PatternExpression {
    let left = this.orObservation();
    while (this.isKeyword('FOLLOWEDBY')) {
      const column = this.next().column;
      this.operand(column);
      left = this.mark({ kind: 'followed-by', left, right: this.orObservation() }, column);
    }
    return left;
  }

  private orObservation(): PatternExpression {
    let left = this.andObservation();
    while (this.isKeyword('OR')) {
      const column = this.next().column;
      this.operand(column);
      left = this.mark({ kind: 'observation-or', left, right: this.andObservation() }, column);
    }
    return left;
  }

  private andObservation(): PatternExpression {
    let left = this.qualified();
    while (this.isKeyword('AND')) {
      const column = this.next().column;
      this.operand(column);
      left = this.mark({ kind: 'observation-and', left, right: this.qualified() }, column);
    }
    return left;
  }

  private qualified(): PatternExpression {
    const start = this.peek();
    let operand: PatternExpression;
    if (this.isPunct('[')) {
      this.next();
      const expression = this.orComparison();
      this.expectPunct(']', "AND, OR or ']'");
      operand = this.mark({ kind: 'observation', expression }, start.column);
    } else if (this.isPunct('(')) {
      this.enter(this.next().column);
      operand = this.followedBy();
      this.expectPunct(')', "AND, OR, FOLLOWEDBY, a qualifier or ')'");
      this.nesting--;
    } else {
      this.fail("'[' to open an observation expression or '(' to group observation expressions");
    }
    const qualifiers: Qualifier[] = [];
    for (let q = this.qualifier(); q !== undefined; q = this.qualifier()) {
      const duplicate = qualifiers.find((other) => other.kind === q.kind);
      if (duplicate !== undefined) {
        throw patternError(this.positions.get(q) ?? start.column,
          `a second ${keywordOf(q)} qualifier on the same observation expression (section 9.5.1 allows one of each kind)`);
      }
      qualifiers.push(q);
    }
    if (qualifiers.length > 0) this.operand(start.column);
    return qualifiers.length === 0 ? operand : this.mark({ kind: 'qualified', operand, qualifiers }, start.column);
  }

  private qualifier(): Qualifier | undefined {
    const token = this.peek();
    if (this.isKeyword('WITHIN')) {
      this.next();
      const n = this.next();
      if (n.kind !== 'literal' || (n.literal.kind !== 'int' && n.literal.kind !== 'float')) {
        this.fail('a number of seconds after WITHIN', n);
      }
      this.expectKeyword('SECONDS');
      return this.mark<Qualifier>({ kind: 'within', seconds: n.literal.value }, token.column);
    }
    if (this.isKeyword('REPEATS')) {
      this.next();
      const n = this.next();
      if (n.kind !== 'literal' || n.literal.kind !== 'int') this.fail('an integer after REPEATS', n);
      this.expectKeyword('TIMES');
      return this.mark<Qualifier>({ kind: 'repeats', times: n.literal.value }, token.column);
    }
    if (this.isKeyword('START')) {
      this.next();
      const start = this.next();
      if (start.kind !== 'literal' || start.literal.kind !== 'timestamp') this.fail("a timestamp t'...' after START", start);
      this.expectKeyword('STOP');
      const stop = this.next();
      if (stop.kind !== 'literal' || stop.literal.kind !== 'timestamp') this.fail("a timestamp t'...' after STOP", stop);
      return this.mark<Qualifier>({ kind: 'start-stop', start: start.literal.value, stop: stop.literal.value }, token.column);
    }
    return undefined;
  }

  private orComparison(): ComparisonExpression {
    let left = this.andComparison();
    while (this.isKeyword('OR')) {
      const column = this.next().column;
      this.operand(column);
      left = this.mark({ kind: 'or', left, right: this.andComparison() }, column);
    }
    return left;
  }

  private andComparison(): ComparisonExpression {
    let left = this.test();
    while (this.isKeyword('AND')) {
      const column = this.next().column;
      this.operand(column);
      left = this.mark({ kind: 'and', left, right: this.test() }, column);
    }
    return left;
  }

  private test(): ComparisonExpression {
    const start = this.peek();
    if (this.isPunct('(')) {
      this.enter(this.next().column);
      const inner = this.orComparison();
      this.expectPunct(')', "AND, OR or ')'");
      this.nesting--;
      return inner;
    }
    if (this.isKeyword('EXISTS') && this.isPunct(':', this.tokens[this.pos + 1]) === false) {
      this.next();
      return this.mark({ kind: 'exists', path: this.path() }, start.column);
    }
    if (this.isKeyword('NOT') && this.isKeyword('EXISTS', this.tokens[this.pos + 1]) && !this.isPunct(':', this.tokens[this.pos + 2])) {
      this.next();
      this.next();
      return this.mark({ kind: 'exists', path: this.path(), negated: true }, start.column);
    }
    const path = this.path();
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
    }
    const opToken = this.next();
    if (opToken.kind === 'op') {
      const literal = this.literal();
      if (literal.kind === 'bool' && opToken.text !== '=' && opToken.text !== '!=') {
        throw patternError(this.positions.get(literal) ?? opToken.column, `a boolean cannot be ordered with '${opToken.text}'`);
      }
      return this.mark({ kind: 'comparison', path, operator: opToken.text, negated, value: literal }, opToken.column);
    }
    if (this.isKeyword('IN', opToken)) {
      return this.mark({ kind: 'in', path, negated, values: this.set() }, opToken.column);
    }
    const word = opToken.kind === 'word' ? opToken.text : '';
    if (word === 'LIKE' || word === 'MATCHES' || word === 'ISSUBSET' || word === 'ISSUPERSET') {
      const literal = this.literal();
      if (literal.kind !== 'string') {
        throw patternError(this.positions.get(literal) ?? opToken.column, `${word} takes a string constant, not a ${literal.kind}`);
      }
      return this.mark({ kind: 'comparison', path, operator: word as ComparisonOperator, negated, value: literal }, opToken.column);
    }
    return this.fail(`a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)${negated ? '' : ' or NOT'}`, opToken);
  }

  private literal(): Literal {
    const token = this.next();
    if (token.kind === 'literal') return this.mark({ ...token.literal }, token.column);
    if (token.kind === 'word' && (token.text === 'true' || token.text === 'false')) {
      return this.mark({ kind: 'bool', value: token.text === 'true' }, token.column);
    }
    return this.fail('a constant (string, number, true/false, b\'..\', h\'..\' or t\'..\')', token);
  }

  private set(): Literal[] {
    this.expectPunct('(', "'(' to open the set of IN");
    const values: Literal[] = [];
    if (this.isPunct(')')) {
      this.next();
      return values;
    }
    for (;;) {
      values.push(this.literal());
      if (this.isPunct(')')) break;
      this.expectPunct(',', "',' or ')'");
    }
    this.next();
    return values;
  }

  private path(): ObjectPath {
    const typeToken = this.next();
    if (typeToken.kind !== 'word' || !TYPE_NAME.test(typeToken.text)) {
      this.fail('an object path such as file:name', typeToken);
    }
    this.expectPunct(':', "':' after the object type");
    const steps: PathStep[] = [this.key()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        steps.push(this.key());
      } else if (this.isPunct('[')) {
        this.next();
        const index = this.next();
        if (index.kind === 'punct' && index.text === '*') {
          steps.push({ kind: 'any' });
        } else if (index.kind === 'literal' && index.literal.kind === 'int') {
          steps.push({ kind: 'index', index: index.literal.value });
        } else {
          this.fail("a list index (an integer or '*')", index);
        }
        this.expectPunct(']', "']' after the list index");
      } else {
        break;
      }
    }
    return this.mark({ objectType: typeToken.text, steps }, typeToken.column);
  }

  private key(): PathStep {
    const token = this.next();
    if (token.kind === 'literal' && token.literal.kind === 'string') return { kind: 'key', name: token.literal.value };
    if (token.kind === 'word') {
      if (!PROPERTY_NAME.test(token.text)) {
        throw patternError(token.column, `property name '${token.text}' contains '-': quote it as '${token.text}' (section 9.7)`);
      }
      return { kind: 'key', name: token.text };
    }
    return this.fail('a property name', token);
  }
}

function keywordOf(q: Qualifier): string {
  return q.kind === 'start-stop' ? 'START/STOP' : q.kind.toUpperCase();
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end': return 'the end of the pattern';
    case 'word': return `'${token.text}'`;
    case 'punct': case 'op': return `'${token.text}'`;
    case 'literal': return `a ${token.literal.kind} constant`;
  }
}
