// The names a Python cell defines and the names it uses, from the source alone,
// parsed with the grammar the editor bundles (@lezer/python). Pure; used by the
// stale marks (stale-marks.ts) to tell which cell a cell reads from.
//
// What counts (checked against Python's own `ast`/`symtable` in python-names.test.ts):
// - defines: names bound at module level — assignment and annotated assignment
//   with a value, augmented assignment, `for`/`with`/`except … as` targets,
//   imports (`import a.b` binds `a`), `def`, `class`, walrus (also from inside a
//   comprehension), match captures, `del` (it changes the binding), and names a
//   function declares `global` and binds.
// - uses: names read at module level before the cell binds them (in statement
//   order), plus names read inside function, lambda, class and comprehension
//   bodies that resolve to globals (not bound in that scope or an enclosing
//   function) and are not bound in the cell before the definition. `x += 1` and
//   `del x` read x. Builtins are included (the caller knows they have no cell).
// - mutates: names whose value is changed in place at module level through an
//   attribute or subscript (`df['c'] = …`, `obj.a += 1`, `del d[k]`).
// - starImport: `from m import *` defines names we cannot know.
// Deliberate simplifications: branches of `if`/`try`/`match` are taken in source
// order (a name bound in one branch counts as bound after it), and a name a
// function declares `global` counts as defined by the cell but not as bound for
// the statements after the `def` (whether the function runs is not known).
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { plainPython } from './ipython-lines';

export interface CellNames {
  defines: string[];
  uses: string[];
  mutates: string[];
  starImport: boolean;
  /** False when the source did not fully parse (what was understood is still reported) or is another language (`%%bash`). */
  complete: boolean;
}

type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

class Scope {
  readonly locals = new Set<string>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  readonly reads: string[] = [];
  readonly children: Scope[] = [];
  constructor(readonly kind: ScopeKind, readonly parent?: Scope) {
    parent?.children.push(this);
  }
}

const brackets = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '*', '**', '.', ';']);

/** Analyses one cell's source (IPython magics and shell lines are skipped). */
export function cellNames(source: string): CellNames {
  const plain = plainPython(source);
  if (plain.source === undefined) return { defines: [], uses: [], mutates: [], starImport: false, complete: false };
  const tree = parser.parse(plain.source);
  const analysis = new Analysis(plain.source);
  analysis.block(tree.topNode, analysis.module);
  let complete = true;
  tree.iterate({ enter: (n) => { if (n.type.isError) complete = false; return complete; } });
  return {
    defines: [...analysis.defines].sort(),
    uses: [...analysis.uses].sort(),
    mutates: [...analysis.mutates].sort(),
    starImport: analysis.starImport,
    complete,
  };
}

class Analysis {
  readonly module = new Scope('module');
  readonly defines = new Set<string>();
  readonly uses = new Set<string>();
  readonly mutates = new Set<string>();
  /** Names bound at module level so far, in statement order. */
  private readonly bound = new Set<string>();
  starImport = false;

  constructor(private readonly src: string) {}

  private text(node: SyntaxNode): string {
    return this.src.slice(node.from, node.to);
  }

  // --- names ---------------------------------------------------------------

  private read(name: string, scope: Scope): void {
    if (scope.kind === 'module') {
      if (!this.bound.has(name)) this.uses.add(name);
    } else scope.reads.push(name);
  }

  private bind(name: string, scope: Scope): void {
    if (scope.kind === 'module') {
      this.defines.add(name);
      this.bound.add(name);
    } else scope.locals.add(name);
  }

  /** A nested scope whose parent is the module is complete: its global reads and binds count now. */
  private leave(scope: Scope): void {
    if (scope.parent?.kind !== 'module') return;
    const visit = (s: Scope) => {
      for (const name of s.reads) if (resolvesGlobal(name, s) && !this.bound.has(name)) this.uses.add(name);
      for (const name of s.locals) if (s.globals.has(name)) this.defines.add(name);
      s.children.forEach(visit);
    };
    visit(scope);
  }

  // --- statements ----------------------------------------------------------

  block(node: SyntaxNode, scope: Scope): void {
    for (let c = node.firstChild; c; c = c.nextSibling) this.statement(c, scope);
  }

  private statement(node: SyntaxNode, scope: Scope): void {
    switch (node.name) {
      case 'AssignStatement': return this.assign(node, scope);
      case 'UpdateStatement': {
        const kids = children(node);
        const op = kids.findIndex((k) => k.name === 'UpdateOp');
        const target = kids[0];
        if (target.name === 'VariableName') this.read(this.text(target), scope);
        else this.expr(target, scope);
        kids.slice(op + 1).forEach((k) => this.expr(k, scope));
        this.target(target, scope);
        return;
      }
      case 'DeleteStatement':
        for (const k of children(node).slice(1)) this.deleteTarget(k, scope);
        return;
      case 'ImportStatement': return this.importStatement(node, scope);
      case 'ScopeStatement': {
        const kids = children(node);
        const set = kids[0]?.name === 'global' ? scope.globals : scope.nonlocals;
        for (const k of kids.slice(1)) if (k.name === 'VariableName') set.add(this.text(k));
        return;
      }
      case 'DecoratedStatement':
        for (let c = node.firstChild; c; c = c.nextSibling) {
          if (c.name === 'Decorator') this.decorator(c, scope);
          else this.statement(c, scope);
        }
        return;
      case 'FunctionDefinition': return this.functionDefinition(node, scope);
      case 'ClassDefinition': return this.classDefinition(node, scope);
      case 'IfStatement':
      case 'WhileStatement':
        for (const k of children(node)) this.statementOrExpr(k, scope);
        return;
      case 'ForStatement': {
        const kids = children(node);
        const inAt = kids.findIndex((k) => k.name === 'in');
        const firstBody = kids.findIndex((k) => k.name === 'Body');
        kids.slice(inAt + 1, firstBody).forEach((k) => this.expr(k, scope));
        kids.slice(0, inAt).forEach((k) => this.target(k, scope));
        kids.slice(firstBody).forEach((k) => this.statementOrExpr(k, scope));
        return;
      }
      case 'WithStatement':
      case 'TryStatement': {
        const kids = children(node);
        kids.forEach((k, i) => {
          if (kids[i - 1]?.name === 'as') this.target(k, scope);
          else this.statementOrExpr(k, scope);
        });
        return;
      }
      case 'MatchStatement':
        for (const k of children(node)) {
          if (k.name !== 'MatchBody') { this.expr(k, scope); continue; }
          for (const clause of children(k)) {
            for (const part of children(clause)) {
              if (part.name === 'Body') this.block(part, scope);
              else if (part.name === 'Guard') this.expr(part, scope);
              else this.pattern(part, scope);
            }
          }
        }
        return;
      case 'TypeDefinition': {
        const name = children(node).find((k) => k.name === 'VariableName');
        if (name) this.bind(this.text(name), scope);
        return;
      }
      case 'Body':
      case 'StatementGroup':
        return this.block(node, scope);
      default:
        return this.expr(node, scope);
    }
  }

  private statementOrExpr(node: SyntaxNode, scope: Scope): void {
    if (node.name === 'Body') this.block(node, scope);
    else this.expr(node, scope);
  }

  private assign(node: SyntaxNode, scope: Scope): void {
    const kids = children(node);
    const ops = kids.flatMap((k, i) => (k.name === 'AssignOp' ? [i] : []));
    const annotation = kids.find((k) => k.name === 'TypeDef');
    if (!ops.length) {
      // `x: int` binds nothing at run time, but makes x local to a function.
      if (annotation) this.expr(annotation, scope);
      const target = kids[0];
      if (target && target.name === 'VariableName' && scope.kind !== 'module') scope.locals.add(this.text(target));
      else if (target && target.name !== 'VariableName') this.expr(target, scope);
      return;
    }
    const last = ops[ops.length - 1];
    kids.slice(last + 1).forEach((k) => this.expr(k, scope));
    if (annotation) this.expr(annotation, scope);
    kids.slice(0, last).forEach((k) => { if (k.name !== 'AssignOp' && k.name !== 'TypeDef') this.target(k, scope); });
  }

  /** An assignment target: names are bound, attributes and subscripts read their base and mutate it. */
  private target(node: SyntaxNode, scope: Scope): void {
    switch (node.name) {
      case 'VariableName': return this.bind(this.text(node), scope);
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression':
        for (const k of children(node)) this.target(k, scope);
        return;
      case 'MemberExpression':
        this.expr(node, scope);
        this.mutate(node, scope);
        return;
      default:
        if (!brackets.has(node.name)) this.expr(node, scope);
    }
  }

  private deleteTarget(node: SyntaxNode, scope: Scope): void {
    if (node.name === 'VariableName') {
      this.read(this.text(node), scope);
      this.bind(this.text(node), scope);
    } else if (node.name === 'TupleExpression' || node.name === 'ArrayExpression' || node.name === 'ParenthesizedExpression') {
      for (const k of children(node)) this.deleteTarget(k, scope);
    } else if (node.name === 'MemberExpression') {
      this.expr(node, scope);
      this.mutate(node, scope);
    } else if (!brackets.has(node.name)) this.expr(node, scope);
  }

  private mutate(node: SyntaxNode, scope: Scope): void {
    let base: SyntaxNode | null = node;
    while (base && base.name === 'MemberExpression') base = base.firstChild;
    if (base?.name !== 'VariableName') return;
    // Only at module level: inside a function the change happens when (if) it is called.
    if (scope.kind === 'module') this.mutates.add(this.text(base));
  }

  private importStatement(node: SyntaxNode, scope: Scope): void {
    const kids = children(node);
    let start = 0;
    if (kids[0]?.name === 'from') start = kids.findIndex((k) => k.name === 'import');
    let first: string | undefined;
    let alias: string | undefined;
    const flush = () => {
      const name = alias ?? first;
      if (name) this.bind(name, scope);
      first = alias = undefined;
    };
    for (let i = start + 1; i < kids.length; i++) {
      const k = kids[i];
      const prev = kids[i - 1]?.name;
      if (k.name === '*') this.starImport = true;
      else if (k.name === ',') flush();
      else if (k.name === 'VariableName') {
        if (prev === 'as') alias = this.text(k);
        else if (prev !== '.') first = this.text(k);
      }
    }
    flush();
  }

  private decorator(node: SyntaxNode, scope: Scope): void {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.name === 'VariableName' && c.prevSibling?.name === '.') continue;
      if (c.name !== 'At') this.expr(c, scope);
    }
  }

  /** Parameters: defaults and annotations are read where the def runs; names are the new scope's locals. */
  private parameters(list: SyntaxNode | undefined, scope: Scope, inner: Scope): void {
    if (!list) return;
    let expectName = true;
    for (let c = list.firstChild; c; c = c.nextSibling) {
      if (c.name === '(' || c.name === ',' || c.name === '*' || c.name === '**') { expectName = true; continue; }
      if (c.name === 'VariableName' && expectName) inner.locals.add(this.text(c));
      else if (c.name !== 'AssignOp' && c.name !== ')' && c.name !== '/') this.expr(c, scope);
      expectName = false;
    }
  }

  private functionDefinition(node: SyntaxNode, scope: Scope): void {
    const kids = children(node);
    const name = kids.find((k) => k.name === 'VariableName');
    const inner = new Scope('function', scope);
    this.parameters(kids.find((k) => k.name === 'ParamList'), scope, inner);
    for (const k of kids) if (k.name === 'TypeDef') this.expr(k, scope);
    const body = kids.find((k) => k.name === 'Body');
    if (body) this.block(body, inner);
    if (name) this.bind(this.text(name), scope);
    this.leave(inner);
  }

  private classDefinition(node: SyntaxNode, scope: Scope): void {
    const kids = children(node);
    const name = kids.find((k) => k.name === 'VariableName');
    const args = kids.find((k) => k.name === 'ArgList');
    if (args) this.expr(args, scope);
    const inner = new Scope('class', scope);
    const body = kids.find((k) => k.name === 'Body');
    if (body) this.block(body, inner);
    if (name) this.bind(this.text(name), scope);
    this.leave(inner);
  }

  private pattern(node: SyntaxNode, scope: Scope): void {
    switch (node.name) {
      case 'CapturePattern': {
        const name = node.firstChild && this.text(node.firstChild);
        if (name && name !== '_') this.bind(name, scope);
        return;
      }
      case 'AsPattern': {
        const kids = children(node);
        kids.forEach((k, i) => {
          if (kids[i - 1]?.name === 'as' && k.name === 'VariableName') this.bind(this.text(k), scope);
          else this.pattern(k, scope);
        });
        return;
      }
      case 'KeywordPattern':
        // `name=pattern`: the keyword is an attribute name, not a read.
        for (const k of children(node).slice(1)) this.pattern(k, scope);
        return;
      case 'ClassPattern':
      case 'AttributePattern':
      case 'MemberExpression':
        for (const k of children(node)) {
          if (k.name === 'VariableName') { if (k.prevSibling?.name !== '.') this.read(this.text(k), scope); }
          else this.pattern(k, scope);
        }
        return;
      case 'VariableName':
        return this.read(this.text(node), scope);
      case 'LiteralPattern':
        return;
      default:
        for (const k of children(node)) this.pattern(k, scope);
    }
  }

  // --- expressions ---------------------------------------------------------

  private expr(node: SyntaxNode, scope: Scope): void {
    switch (node.name) {
      case 'VariableName': return this.read(this.text(node), scope);
      case 'PropertyName': return;
      case 'Body': return this.block(node, scope);
      case 'ArgList':
        // `f(x for x in xs)`: a bare generator argument is the whole argument list.
        if (children(node).some((k) => k.name === 'for')) return this.comprehension(node, scope);
        for (let c = node.firstChild; c; c = c.nextSibling) {
          if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') continue; // keyword argument's name
          this.expr(c, scope);
        }
        return;
      case 'LambdaExpression': {
        const inner = new Scope('function', scope);
        const kids = children(node);
        this.parameters(kids.find((k) => k.name === 'ParamList'), scope, inner);
        const colon = kids.findIndex((k) => k.name === ':');
        kids.slice(colon + 1).forEach((k) => this.expr(k, inner));
        this.leave(inner);
        return;
      }
      case 'NamedExpression': {
        const kids = children(node);
        kids.slice(2).forEach((k) => this.expr(k, scope));
        let owner = scope;
        while (owner.kind === 'comprehension' && owner.parent) owner = owner.parent;
        if (kids[0]?.name === 'VariableName') {
          const name = this.text(kids[0]);
          this.bind(name, owner);
          // Inside a comprehension the name is the owner's, not the comprehension's.
          if (owner !== scope) scope.nonlocals.add(name);
        }
        return;
      }
      case 'ComprehensionExpression':
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'DictionaryComprehensionExpression':
        return this.comprehension(node, scope);
      default:
        for (let c = node.firstChild; c; c = c.nextSibling) this.expr(c, scope);
    }
  }

  /** `[elt for t in first for u in rest if cond]`: the first iterable is read outside, the rest inside. */
  private comprehension(node: SyntaxNode, scope: Scope): void {
    const kids = children(node).filter((k) => !['(', ')', '[', ']', '{', '}'].includes(k.name));
    const inner = new Scope('comprehension', scope);
    const forAt = kids.findIndex((k) => k.name === 'for');
    let mode: 'target' | 'iter' | 'cond' = 'target';
    let firstIter = true;
    for (let i = forAt; i < kids.length; i++) {
      const k = kids[i];
      if (k.name === 'for') { mode = 'target'; continue; }
      if (k.name === 'in') { mode = 'iter'; continue; }
      if (k.name === 'if') { mode = 'cond'; firstIter = false; continue; }
      if (k.name === 'async') continue;
      if (mode === 'target') this.target(k, inner);
      else if (mode === 'iter') {
        this.expr(k, firstIter ? scope : inner);
        // The first iterable ends at the next clause keyword.
        if (['for', 'if', 'async'].includes(kids[i + 1]?.name ?? 'for')) firstIter = false;
      } else this.expr(k, inner);
    }
    kids.slice(0, forAt).forEach((k) => this.expr(k, inner));
    this.leave(inner);
  }
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Whether `name`, read in `scope`, is a module global (Python's scoping rules; class scopes are not seen from inside). */
function resolvesGlobal(name: string, scope: Scope): boolean {
  if (scope.globals.has(name)) return true;
  if (scope.nonlocals.has(name)) return false;
  if (scope.locals.has(name)) return false;
  for (let p = scope.parent; p; p = p.parent) {
    if (p.kind === 'module') return true;
    if (p.kind === 'class') continue;
    if (p.globals.has(name)) return true;
    if (p.locals.has(name) || p.nonlocals.has(name)) return false;
  }
  return true;
}
