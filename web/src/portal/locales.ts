/** The public portal's texts (nl default, en). */
export const portal = {
  nl: {
    'portal.site': 'Datapakhuis — cijfers over de gemeente',
    'portal.nav.home': 'Indicatoren',
    'portal.nav.areas': 'Gebieden',
    'portal.nav.map': 'Kaart',
    'portal.nav.about': 'Over deze cijfers',
    'portal.home.title': 'Cijfers over de gemeente, per wijk en buurt',
    'portal.home.lead':
      'Openbare cijfers uit het Datapakhuis. Alle cijfers zijn gecontroleerd op onthullingsrisico: waar te weinig mensen achter een getal zitten, tonen we het niet.',
    'portal.home.byTheme': 'Indicatoren per thema',
    'portal.areas.title': 'Gebieden',
    'portal.areas.lead':
      'Elke wijk en buurt van de gemeente heeft een eigen profiel: alle openbare cijfers, vergeleken met de gemeente als geheel.',
    'portal.profile.report': 'Afdrukbaar rapport',
    'portal.profile.pdf': 'Download PDF',
    'portal.report.title': 'Gebiedsrapport {{name}}',
    'portal.report.made': 'Gemaakt op {{date}} met de openbare cijfers uit het Datapakhuis.',
    'portal.report.print': 'Afdrukken',
    'portal.report.back': 'Terug naar het gebiedsprofiel',
    'portal.map.title': 'Cijfers op de kaart',
    'portal.map.lead':
      'Kies een indicator, een niveau en een periode. De keuze staat in het adres, zodat u de kaart kunt delen.',
    'portal.footer.sources': 'Indicatoren: {{list}}.',
    'portal.footer.about':
      'Deze cijfers komen uit het Datapakhuis van de gemeente en zijn vrij te gebruiken. Cijfers over personen zijn afgerond en waar nodig geheimgehouden.',
    'portal.footer.api': 'Open data: API en OData-feed',
    'portal.footer.signIn': 'Inloggen voor medewerkers',
  },
  en: {
    'portal.site': 'Datapakhuis — figures about the municipality',
    'portal.nav.home': 'Indicators',
    'portal.nav.areas': 'Areas',
    'portal.nav.map': 'Map',
    'portal.nav.about': 'About these figures',
    'portal.home.title': 'Figures about the municipality, by district and neighbourhood',
    'portal.home.lead':
      'Public figures from the Datapakhuis. Every figure passed disclosure control: where too few people are behind a number, we do not show it.',
    'portal.home.byTheme': 'Indicators by theme',
    'portal.areas.title': 'Areas',
    'portal.areas.lead':
      'Every district and neighbourhood of the municipality has its own profile: all public figures, compared with the municipality as a whole.',
    'portal.profile.report': 'Printable report',
    'portal.profile.pdf': 'Download PDF',
    'portal.report.title': 'Area report {{name}}',
    'portal.report.made': 'Made on {{date}} from the public figures of the Datapakhuis.',
    'portal.report.print': 'Print',
    'portal.report.back': 'Back to the area profile',
    'portal.map.title': 'Figures on the map',
    'portal.map.lead':
      'Choose an indicator, a level and a period. The choice is kept in the address, so you can share the map.',
    'portal.footer.sources': 'Indicators: {{list}}.',
    'portal.footer.about':
      "These figures come from the municipality's Datapakhuis and are free to use. Figures about people are rounded and suppressed where needed.",
    'portal.footer.api': 'Open data: API and OData feed',
    'portal.footer.signIn': 'Staff sign-in',
  },
};
