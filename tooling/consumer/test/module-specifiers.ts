/**
 * What a built JavaScript file imports, read with TypeScript's parser (a text search would trip over minified
 * code such as `{node:e}` or a message that ends in "from"), and every string literal naming a `node:` module.
 */
import ts from "typescript";

/** The module specifiers of static imports and re-exports, `import()` and `require()`, and `node:` strings. */
export interface ModuleReferences {
  readonly specifiers: readonly string[];
  /** Every string literal (or template without substitutions) starting with `node:`. */
  readonly nodeStrings: readonly string[];
}

/** Parses `code` (an ES module) and collects its {@link ModuleReferences}. */
export function moduleReferences(code: string, fileName = "bundle.js"): ModuleReferences {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const specifiers: string[] = [];
  const nodeStrings: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === "require";
      const [first] = node.arguments;
      if ((isImport || isRequire) && first !== undefined) {
        specifiers.push(ts.isStringLiteralLike(first) ? first.text : `<computed: ${first.getText(source)}>`);
      }
    }
    if (ts.isStringLiteralLike(node) && node.text.startsWith("node:")) nodeStrings.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { specifiers, nodeStrings };
}
