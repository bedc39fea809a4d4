-- Annual energy use of dwellings (BAG woonfunctie), per year, with their buurt. gas_m3 is empty for
-- a dwelling without a gas connection (aardgasvrij); datum_jaar is 31 December of the year of use.
select
  a.buurtcode,
  a.wijkcode,
  e.jaar,
  make_date(e.jaar, 12, 31) as datum_jaar,
  e.elektriciteit_kwh,
  e.gas_m3,
  case when e.gas_m3 is null then 1 else 0 end as zonder_gas
from ref('energieverbruik') e
join ref('adressen') a on a.verblijfsobject_id = e.verblijfsobject_id
where a.gebruiksdoel = 'woonfunctie'
