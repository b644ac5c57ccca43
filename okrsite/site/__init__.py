"""The site: which pages exist and their URLs, rendering, charts, templates, assets, the
public JSON and schemas."""
