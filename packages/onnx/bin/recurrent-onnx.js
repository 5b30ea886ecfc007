#!/usr/bin/env node
// Launcher of the `recurrent-onnx` command (built output; see src/cli.ts).
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv.slice(2));
