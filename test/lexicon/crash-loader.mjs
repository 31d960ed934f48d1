// Child process of store.test.ts: loads batches into a store and prints "ack N" after each commit
// returns, until it is killed. Runs the compiled store (dist/), as a real `soda load` would.
import { LexiconStore } from "../../dist/src/lexicon/store.js";

const [dataDir, batches] = process.argv.slice(2);
const store = LexiconStore.open(dataDir, { maxSegments: 4 });
for (let b = 0; b < Number(batches); b++) {
  const entries = Array.from({ length: 50 }, (_, i) => ({
    id: `e${b * 50 + i}`,
    names: [`name ${b * 50 + i}`, `alias ${b}x${i}`],
  }));
  store.add("crash", entries);
  // Stage a few more without committing: what happens to them is part of the contract.
  store.add("crash", [{ id: `staged${b}`, names: [`staged ${b}`] }]);
  store.commit("crash");
  process.stdout.write(`ack ${b}\n`);
}
store.close();
