-- Households on every year end: the addresses where at least one person was registered on that
-- day (the BRP's household is its address; a shared or overcrowded address is one household).
select
  j.jaar,
  j.peildatum,
  p.verblijfsobject_id,
  min(p.buurtcode) as buurtcode,
  min(p.wijkcode) as wijkcode,
  count(distinct p.bsn) as aantal_personen
from ref('peildata') j
join ref('personen_historie') p
  on p.datum_vestiging <= j.peildatum
  and (p.datum_vertrek is null or p.datum_vertrek > j.peildatum)
group by j.jaar, j.peildatum, p.verblijfsobject_id
