-- Inhabitants and households per buurt; every buurt of the CBS division, also when empty.
select
  b.buurtcode,
  b.buurtnaam,
  b.wijkcode,
  coalesce(p.inwoners, 0) as inwoners,
  coalesce(h.huishoudens, 0) as huishoudens
from ref('cbs_buurten') b
left join (select buurtcode, count(*) as inwoners from ref('personen_actueel') group by buurtcode) p
  on p.buurtcode = b.buurtcode
left join (select buurtcode, count(*) as huishoudens from ref('huishoudens') group by buurtcode) h
  on h.buurtcode = b.buurtcode
