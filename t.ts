import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(':memory:');
const c = await i.connect();
async function q(s: string){ try { const r = await c.runAndReadAll(s); console.log(JSON.stringify(r.getRowObjectsJson())); } catch(e){ console.log('ERR', (e as Error).message.slice(0,300)); } }
const o = (f:string)=>`read_csv('/tmp/x/${f}', delim=';', quote='"', escape='"', header=true, auto_detect=false, columns={'c0':'VARCHAR','c1':'VARCHAR'}, store_rejects=true, rejects_table='rej1', rejects_scan='scan1')`;
await q(`select * from ${o('cp.csv')}`); await q(`from rej1`);
await q(`select * from ${o('ho.csv')}`);
await q(`select * from ${o('empty.csv')}`);
await q(`select * from read_json('/tmp/x/nope.json')`);
