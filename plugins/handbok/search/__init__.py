"""The site search's index, built from the finished site's HTML (Pagefind)."""
