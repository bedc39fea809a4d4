-- The housing stock on every year end: every BAG verblijfsobject with a woonfunctie that was built
-- by then (bouwjaar ≤ the year; the BAG export has no demolished objects), with the number of
-- persons registered there on that day (0 = no registered inhabitants).
select
  j.jaar,
  j.peildatum,
  a.buurtcode,
  a.wijkcode,
  a.oppervlakte,
  a.bouwjaar,
  coalesce(h.aantal_personen, 0) as aantal_bewoners
from ref('adressen') a
join ref('peildata') j on (a.bouwjaar is null or a.bouwjaar <= j.jaar)
left join ref('huishoudens_historie') h
  on h.verblijfsobject_id = a.verblijfsobject_id and h.peildatum = j.peildatum
where a.gebruiksdoel = 'woonfunctie'
