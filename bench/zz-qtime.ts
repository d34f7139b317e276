import 'reflect-metadata';
import { Pool } from 'pg';
import { RecallSearch } from '/work/main/src/recalls/search/recall-search';
import { fuzzyQueries } from '/work/main/bench/queries';
async function main() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, options: '-c pg_trgm.similarity_threshold=0.3', types: { getTypeParser: (oid: number, f: any) => oid === 1082 ? (v: string) => v : require('pg').types.getTypeParser(oid, f) } });
  let sqlMs = 0; let n = 0; const log: string[] = [];
  const exec = { query: async (sql: string, p: unknown[]) => { const t = performance.now(); const r = await pool.query(sql, p as any[]); const d = performance.now() - t; sqlMs += d; log.push(d.toFixed(1) + ' ' + sql.replace(/\s+/g, ' ').slice(0, 300) + " " + JSON.stringify(p).slice(0, 300)); return r.rows; } };
  const search = new RecallSearch(exec as any, 'postgres', 'x'.repeat(40));
  const queries = fuzzyQueries();
  for (const q of (process.env.Q ? [process.env.Q] : queries.slice(0, 30))) {
    sqlMs = 0; log.length = 0;
    const t = performance.now();
    const page = await search.search({ text: q }, { limit: 20 });
    const total = performance.now() - t;
    console.log(`${total.toFixed(1).padStart(7)} ms total, ${sqlMs.toFixed(1).padStart(7)} ms sql, ${page.total} hits  "${q}"`);
    for (const l of log) console.log('     ' + l);
  }
  await pool.end();
}
main();
