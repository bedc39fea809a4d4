-- Budget and realisation (lasten) per IV3 main task field (hoofdtaakveld 0 … 8) per year, for the
-- municipality as a whole: the IV3 data have no area. 0.10 (mutaties reserves) and 0.11 (resultaat)
-- are not lasten and are left out (BBV). realisatie_pct = realisation as a percentage of the budget.
-- The rows carry the gemeente code: indicators on them exist at gemeente level only.
select
  'GM0400' as gemeentecode,
  jaar,
  make_date(jaar, 12, 31) as peildatum,
  split_part(taakveld, '.', 1) as hoofdtaakveld,
  sum(begroting_lasten) as begroting_lasten,
  sum(realisatie_lasten) as realisatie_lasten,
  round(100 * sum(realisatie_lasten) / nullif(sum(begroting_lasten), 0), 1) as realisatie_pct
from ref('iv3_begroting_realisatie')
where taakveld not in ('0.10', '0.11')
group by jaar, peildatum, split_part(taakveld, '.', 1)
