/** Topological order of a validated graph's nodes (the IR allows any listing order; ONNX needs producers first). */
import { type LayerNode, outputsOf } from "@recurrent/core";

/** The nodes with every producer before its consumers (the graph is known to be acyclic). */
export function topologicalOrder(nodes: readonly LayerNode[]): LayerNode[] {
  const producer = new Map<string, LayerNode>();
  for (const node of nodes) for (const value of outputsOf(node)) producer.set(value, node);
  const done = new Set<LayerNode>();
  const order: LayerNode[] = [];
  const visit = (node: LayerNode): void => {
    if (done.has(node)) return;
    done.add(node);
    for (const name of node.inputs) {
      const p = name === "" ? undefined : producer.get(name);
      if (p !== undefined) visit(p);
    }
    order.push(node);
  };
  for (const node of nodes) visit(node);
  return order;
}
