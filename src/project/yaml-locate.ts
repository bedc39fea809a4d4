import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';

/** A parsed YAML file that can tell the line of any path in it. */
export class LocatedYaml {
  private constructor(
    readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  static parse(text: string): LocatedYaml {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    return new LocatedYaml(doc, lines);
  }

  get errors(): Array<{ line: number; message: string }> {
    return this.doc.errors.map((e) => ({
      line: this.lines.linePos(e.pos[0]).line,
      message: e.message.split('\n')[0] ?? e.message,
    }));
  }

  toJS(): unknown {
    return this.doc.toJS();
  }

  lineOf(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  /** the line of the value at `path`, or of the nearest existing ancestor */
  lineAt(path: ReadonlyArray<PropertyKey>): number | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n) as unknown[], true) as YamlNode | undefined;
      if (node && typeof node === 'object' && node.range) return this.lineOf(node.range[0]);
    }
    return undefined;
  }

  /** the line of the key `key` inside the map at `path` */
  lineOfKey(path: ReadonlyArray<PropertyKey>, key: string): number | undefined {
    const map = path.length === 0 ? this.doc.contents : this.doc.getIn(path as unknown[], true);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isScalar(pair.key) && String(pair.key.value) === key && pair.key.range)
          return this.lineOf(pair.key.range[0]);
      }
    }
    return this.lineAt(path);
  }
}
