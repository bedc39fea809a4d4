-- Inhabitants and households per wijk, next to the CBS 2024 figure (Bron: CBS).
select
  w.code as wijkcode,
  w.naam as wijknaam,
  sum(b.inwoners) as inwoners,
  sum(b.huishoudens) as huishoudens,
  w.aantal_inwoners as inwoners_cbs_2024
from ref('cbs_kerncijfers_wijken') w
join ref('inwoners_per_buurt') b on b.wijkcode = w.code
where w.soort_regio = 'Wijk'
group by w.code, w.naam, w.aantal_inwoners
