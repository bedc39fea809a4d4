-- Households as the BRP sees them: the inhabitants registered at one address.
select
  verblijfsobject_id,
  min(buurtcode) as buurtcode,
  min(wijkcode) as wijkcode,
  count(*) as aantal_personen
from ref('personen_actueel')
group by verblijfsobject_id
