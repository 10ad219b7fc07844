// The add-in's only ribbon button opens the task pane (manifest.xml): no ribbon actions.
