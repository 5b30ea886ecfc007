/** `activation`: an elementwise nonlinearity (softmax over the last axis). */
import type { Kernel } from "../engine/kernel.js";
import { activate } from "./activate.js";

export const activationKernel: Kernel<"activation"> = (node, [x], ctx) => [activate(ctx.tf, node.activation, x!)];
