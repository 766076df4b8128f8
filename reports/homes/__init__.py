"""Role home pages (/tablet/, /supervisor/, /station/, /manager/, /finance/).

They show data of several apps (organisation, customers, contracts, notifications), so they belong
to the top app of CONVENTIONS §1 (reports); nothing imports them, the URL root includes
``reports.homes.urls``. Later issues replace these pages with ticket queues and reports.
"""
