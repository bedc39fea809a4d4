-- WOZ values of dwellings (BAG woonfunctie) per tax year, with their buurt. A WOZ value with
-- peildatum 1 January of year J is the value for tax year J + 1 (as CBS reports the average WOZ
-- value of year J + 1); datum_belastingjaar is 1 January of that tax year.
select
  a.buurtcode,
  a.wijkcode,
  extract(year from w.peildatum) + 1 as belastingjaar,
  make_date(cast(extract(year from w.peildatum) + 1 as integer), 1, 1) as datum_belastingjaar,
  w.woz_waarde
from ref('woz_waarden') w
join ref('adressen') a on a.verblijfsobject_id = w.verblijfsobject_id
where a.gebruiksdoel = 'woonfunctie'
