-- Every BRP address period of every person, with its buurt and wijk: who lived where on any date.
-- A period runs from datum_vestiging up to (not including) datum_vertrek; an empty datum_vertrek is
-- the current address. Exact duplicate export rows collapse. geboortejaar is the birth date as it
-- landed: generalised to the year, so an age is exact on 31 December (year − geboortejaar).
select distinct
  p.bsn,
  p.geboortedatum as geboortejaar,
  p.geslacht,
  p.verblijfsobject_id,
  a.buurtcode,
  a.wijkcode,
  p.datum_vestiging,
  p.datum_vertrek
from ref('personen') p
left join ref('adressen') a on a.verblijfsobject_id = p.verblijfsobject_id
