import { startDatabase } from "./lib/database";
const db = await startDatabase({ dataDir: "/work/main/.data/pg", port: 54329, dbName: "convoy" });
console.log(db.url);
process.on("SIGTERM", async () => { await db.stop(); process.exit(0); });
setInterval(() => {}, 1000);
