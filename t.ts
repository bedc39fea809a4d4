import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create('/tmp/x/db.duckdb');
const c = await i.connect();
async function q(s: string){ const t=Date.now(); try { const r = await c.runAndReadAll(s); console.log(Date.now()-t,'ms', JSON.stringify(r.getRowObjectsJson()).slice(0,300)); } catch(e){ console.log('ERR', (e as Error).message.slice(0,500)); } }
await q(`copy (select 100000000+i%56000 as bsn, 'naam '||(i%997) as naam, replace(printf('%.2f', (i%10000)/7.0),'.',',') as bedrag, strftime(date '2020-01-01' + (i%1500)::int, '%d-%m-%Y') as datum, i%8 as wijk from range(5000000) t(i)) to '/tmp/x/big.csv' (delimiter ';', header)`);
await q(`create or replace table raw as select * from read_csv('/tmp/x/big.csv')`);
await q(`create or replace table raw as select * from read_csv('/tmp/x/big.csv')`);
const opts = `delim=';', quote='"', escape='"', header=true, auto_detect=false, columns={'c0':'VARCHAR','c1':'VARCHAR','c2':'VARCHAR','c3':'VARCHAR','c4':'VARCHAR'}, null_padding=true, store_rejects=true`;
await q(`create or replace table t1 as select row_number() over () as _row, try_cast(c0 as bigint) bsn, c1 naam, try_cast(replace(replace(c2,'.',''),',','.') as decimal(18,2)) bedrag, try_strptime(c3,'%d-%m-%Y')::date datum, try_cast(c4 as integer) wijk from read_csv('/tmp/x/big.csv', ${opts})`);
await q(`create or replace table t2 as select try_cast(c0 as bigint) bsn, c1 naam, try_cast(replace(replace(c2,'.',''),',','.') as decimal(18,2)) bedrag, try_strptime(c3,'%d-%m-%Y')::date datum, try_cast(c4 as integer) wijk from read_csv('/tmp/x/big.csv', ${opts})`);
await q(`select count(*) from t1 where _row <> (bsn-100000000) + 1 + 56000 * 0 and false`);
await q(`select count(*) from (select _row, bsn, lag(_row) over (order by _row) p from t1) where (_row-1)%56000 <> bsn-100000000`);
