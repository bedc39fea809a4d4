-- Running care trajectories per person and regeling (Wmo maatwerkvoorzieningen, jeugdhulp): the
-- provisions of one person that overlap or touch (also exact duplicate export rows) are merged into
-- one period (gaps and islands), so a person counts once on any day; the merged period is then cut
-- by the person's BRP address periods. Neither the kind of provision nor its cost (health data)
-- leaves this model, and no identifier does.
with perioden as (
  select 'wmo' as regeling, bsn, startdatum as van, coalesce(einddatum, date '9999-12-31') as tot
  from ref('wmo_voorzieningen')
  union all
  select 'jeugdhulp' as regeling, bsn, startdatum as van, coalesce(einddatum, date '9999-12-31') as tot
  from ref('jeugdhulp')
),
geordend as (
  select
    regeling,
    bsn,
    van,
    tot,
    max(tot) over (
      partition by regeling, bsn order by van, tot rows between unbounded preceding and 1 preceding
    ) as eerder_tot
  from perioden
),
eilanden as (
  select
    regeling,
    bsn,
    van,
    tot,
    sum(case when eerder_tot is null or van > eerder_tot then 1 else 0 end)
      over (partition by regeling, bsn order by van, tot rows unbounded preceding) as eiland
  from geordend
),
trajecten as (
  select regeling, bsn, min(van) as van, nullif(max(tot), date '9999-12-31') as tot
  from eilanden
  group by regeling, bsn, eiland
)
select
  t.regeling,
  p.buurtcode,
  p.wijkcode,
  p.geboortejaar,
  greatest(t.van, p.datum_vestiging) as datum_van,
  least(t.tot, p.datum_vertrek) as datum_tot
from trajecten t
join ref('sociaal_adresperioden') p on p.bsn = t.bsn
where (t.tot is null or t.tot > p.datum_vestiging)
  and (p.datum_vertrek is null or p.datum_vertrek > t.van)
