# a comment line
   # an indented comment
echo a # trailing comment
echo a#b '#' "#"
echo #nothing
echo done
