from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from programmes.selectors import not_past_q, published_offers


class NewOffersFeed(Feed):
    feed_type = Atom1Feed
    title = "New professional development offers"
    link = "/offers/"
    subtitle = "Offers newly published in the regional CPD catalogue."

    def items(self):
        return (
            published_offers().filter(not_past_q(), published_at__isnull=False).select_related("programme").prefetch_related("themes")
            .order_by("-published_at", "-pk")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.programme.plain_name

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]
