"""The small core every policy module uses: reading engine-shaped props (`props`), linking resources in
stack policies (`stack`), and registering a policy with its catalogue entry (`registry`)."""
