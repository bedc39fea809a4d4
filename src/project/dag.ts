/**
 * Topological order of a dependency graph (node → the nodes it depends on). Ties are broken by name,
 * so the order is stable. A cycle is returned as its path, first node repeated at the end.
 */
export function topologicalOrder(deps: Map<string, string[]>): { order: string[] } | { cycle: string[] } {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];

  const visit = (node: string): string[] | undefined => {
    const s = state.get(node);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const dep of [...(deps.get(node) ?? [])].sort()) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    order.push(node);
    return undefined;
  };

  for (const node of [...deps.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return { cycle };
  }
  return { order };
}
