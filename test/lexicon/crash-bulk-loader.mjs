// Child process of store.test.ts: bulk loads lexicons b0, b1, … (2,000 entities each) and prints
// "ack N" after each load returns, until it is killed. Runs the compiled store (dist/).
import { LexiconStore } from "../../dist/src/lexicon/store.js";

const [dataDir, loads] = process.argv.slice(2);
const store = LexiconStore.open(dataDir);
for (let b = 0; b < Number(loads); b++) {
  const bulk = store.beginBulk(`b${b}`);
  for (let i = 0; i < 2000; i += 100)
    bulk.add(
      Array.from({ length: 100 }, (_, j) => ({ id: `e${i + j}`, names: [`bulk ${b} name ${i + j}`] })),
    );
  bulk.finish();
  process.stdout.write(`ack ${b}\n`);
}
store.close();
