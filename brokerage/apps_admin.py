from django.contrib.admin.apps import AdminConfig


class BrokerageAdminConfig(AdminConfig):
    """Django's admin, with the portal's site (brokerage.admin_site) as ``admin.site``."""

    default_site = "brokerage.admin_site.BrokerageAdminSite"
