import { chromium } from "playwright-core";
const [file, png] = [process.argv[2]!, process.argv[3]!];
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const p = await b.newPage({ viewport: { width: 1150, height: 900 } });
await p.goto(`file://${file}`);
await p.screenshot({ path: png, fullPage: true });
await b.close();
