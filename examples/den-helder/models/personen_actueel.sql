-- Current inhabitants: registered, not departed, one row per person (exact duplicate export rows collapse).
select distinct
  p.bsn,
  p.geboortedatum,
  p.geslacht,
  p.verblijfsobject_id,
  a.buurtcode,
  a.wijkcode
from ref('personen') p
left join ref('adressen') a on a.verblijfsobject_id = p.verblijfsobject_id
where p.datum_vertrek is null
